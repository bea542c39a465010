import { request, type ClientRequest } from 'node:http';
import { createServer, type AddressInfo } from 'node:net';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { Test } from '@nestjs/testing';
import { Streams, Subjects, type SubmissionResult } from '@introeval/contracts';
import { loadConfig } from '@introeval/config';
import { ensureTopology, JetStreamPublisher } from '@introeval/messaging';
import { connectNats } from '@introeval/nats';
import { JobStore, openBuckets, ReceiptSigner, type Buckets } from '@introeval/storage';
import { eventually, startNatsServer, type NatsServerHandle } from '@introeval/testing';
import { jetstreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { GatewayConfig } from './gateway.config.js';
import { GatewayModule } from './gateway.module.js';
import { StatusClient } from './status.client.js';

/** A loopback port that nothing listens on (it was free a moment ago). */
async function closedPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

const LIMIT = 256 * 1024;
const BOUNDARY = 'introeval-spec-boundary';
const ADMIN_TOKEN = 'spec-admin-token-0123456789';

/** Opens a chunked multipart upload (no Content-Length) and writes the head of its `file` part. */
function openFilePart(port: number, fileName: string): ClientRequest {
  const req = request({
    host: '127.0.0.1',
    port,
    method: 'POST',
    path: '/api/submissions',
    headers: { 'content-type': `multipart/form-data; boundary=${BOUNDARY}`, 'transfer-encoding': 'chunked' },
  });
  req.write(`--${BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="${fileName}"\r\n\r\n`);
  return req;
}

/**
 * Streams a multipart upload with chunked transfer encoding (no Content-Length, as a browser streaming a recording
 * may), writing until the server answers. Returns the answer and how many bytes were sent before it came.
 */
function chunkedUpload(port: number, totalBytes: number): Promise<{ status: number; body: any; sent: number }> {
  return new Promise((resolve, reject) => {
    let sent = 0;
    let answered = false;
    const req = openFilePart(port, 'big.mp4');
    req.on('response', (res) => {
      answered = true;
      let text = '';
      res.on('data', (chunk: Buffer) => (text += chunk.toString()));
      res.on('end', () => resolve({ status: res.statusCode!, body: JSON.parse(text), sent }));
    });
    req.on('error', (error) => (answered ? undefined : reject(error)));
    const chunk = Buffer.alloc(16 * 1024, 1);
    const pump = () => {
      while (!answered && sent < totalBytes) {
        sent += chunk.length;
        if (!req.write(chunk)) {
          req.once('drain', pump);
          return;
        }
      }
      if (!answered) req.end(`\r\n--${BOUNDARY}--\r\n`);
    };
    pump();
  });
}

function multipart(parts: Array<{ name: string; value: string; filename?: string }>): string {
  return (
    parts
      .map(
        (part) =>
          `--${BOUNDARY}\r\nContent-Disposition: form-data; name="${part.name}"${part.filename ? `; filename="${part.filename}"` : ''}\r\n\r\n${part.value}\r\n`,
      )
      .join('') + `--${BOUNDARY}--\r\n`
  );
}

describe('gateway HTTP API on a real nats-server', () => {
  let server: NatsServerHandle;
  let nc: NatsConnection;
  let buckets: Buckets;
  let app: NestExpressApplication;
  let url: string;
  let port: number;

  const post = (body: string) =>
    fetch(`${url}/api/submissions`, {
      method: 'POST',
      body,
      headers: { 'content-type': `multipart/form-data; boundary=${BOUNDARY}` },
    });

  /** Bytes in the media object store's stream: unlike a listing, this also sees chunks of unfinished uploads. */
  const storedBytes = async () => (await (await jetstreamManager(nc)).streams.info('OBJ_introeval-media')).state.bytes;
  /** Job records in KV. */
  const jobCount = async () => {
    const keys: string[] = [];
    for await (const key of await buckets.jobs.keys()) keys.push(key);
    return keys.length;
  };
  const postText = (body: object, headers: Record<string, string> = {}) =>
    fetch(`${url}/api/submissions`, {
      method: 'POST',
      body: JSON.stringify(body),
      headers: { 'content-type': 'application/json', ...headers },
    });

  beforeAll(async () => {
    server = await startNatsServer();
    nc = await connectNats(server.url, 'gateway-spec');
    await ensureTopology(nc);
    buckets = await openBuckets(nc);
    // No status service listens here: these specs see the gateway's answers without it (the e2e specs run it).
    const statusUrl = `127.0.0.1:${await closedPort()}`;
    const config = loadConfig(GatewayConfig, { MEDIA_MAX_BYTES: String(LIMIT), NATS_URL: server.url, ADMIN_TOKEN, STATUS_URL: statusUrl });
    const receipts = await ReceiptSigner.open(buckets.settings, null);
    const status = new StatusClient(config.STATUS_URL, config.STATUS_TIMEOUT_MS);
    const moduleRef = await Test.createTestingModule({
      imports: [GatewayModule.register({ config, nc, buckets, receipts, publisher: new JetStreamPublisher(nc), status })],
    }).compile();
    app = moduleRef.createNestApplication<NestExpressApplication>({ bodyParser: false, logger: false });
    app.useBodyParser('json', { limit: '1mb' });
    await app.listen(0, '127.0.0.1');
    port = (app.getHttpServer().address() as AddressInfo).port;
    url = `http://127.0.0.1:${port}`;
  });
  afterAll(async () => {
    await app.close();
    await nc.close();
    await server.dispose();
  });

  it('answers 413 while a chunked upload is still streaming, and keeps none of it', async () => {
    const before = await storedBytes();
    const { status, body, sent } = await chunkedUpload(port, 40 * LIMIT);
    expect(status).toBe(413);
    expect(body.error.code).toBe('MEDIA_TOO_LARGE');
    expect(body.error.message).toContain('MB');
    expect(sent).toBeLessThan(40 * LIMIT);
    await eventually(async () => (await storedBytes()) === before, { what: 'the partial upload to be purged' });
  });

  it('refuses a declared Content-Length over the limit before reading the body', async () => {
    const response = await fetch(`${url}/api/submissions`, {
      method: 'POST',
      body: Buffer.alloc(LIMIT * 2),
      headers: { 'content-type': `multipart/form-data; boundary=${BOUNDARY}` },
    });
    expect(response.status).toBe(413);
  });

  it('stores an upload, records the job and queues it for the upload stage', async () => {
    const response = await post(multipart([{ name: 'studentId', value: 'stu-9' }, { name: 'file', value: 'not really a video', filename: 'a.mp4' }]));
    expect(response.status).toBe(202);
    const { id, receipt } = (await response.json()) as { id: string; receipt: string };
    expect(receipt.length).toBeGreaterThan(20);
    const record = (await new JobStore(buckets.jobs).get(id))!;
    expect(record).toMatchObject({ status: 'queued', stage: 'upload', studentId: 'stu-9', source: 'media' });
    expect(record.media).toMatchObject({ fileName: 'a.mp4', sizeBytes: 18 });
    const jsm = await jetstreamManager(nc);
    const info = await jsm.streams.info(Streams.work, { subjects_filter: Subjects.submitted });
    expect(info.state.subjects?.[Subjects.submitted]).toBeGreaterThanOrEqual(1);
  });

  it('names a missing file field and a bad student id, storing nothing', async () => {
    const before = await storedBytes();
    const missing = await post(multipart([{ name: 'studentId', value: 'stu-1' }]));
    expect(missing.status).toBe(400);
    expect(((await missing.json()) as any).error.message).toContain('`file`');
    const badStudent = await post(multipart([{ name: 'studentId', value: 'no spaces allowed' }, { name: 'file', value: 'x', filename: 'a.mp4' }]));
    expect(badStudent.status).toBe(400);
    expect(((await badStudent.json()) as any).error.message).toContain('studentId');
    // Deleting an object leaves a small tombstone; none of the file's bytes stay.
    expect((await storedBytes()) - before).toBeLessThan(1024);
  });

  it('removes everything of an upload whose client goes away mid-file', async () => {
    const before = await storedBytes();
    const jobsBefore = await jobCount();
    await new Promise<void>((resolve) => {
      const req = openFilePart(port, 'a.webm');
      req.on('error', () => resolve());
      req.write(Buffer.alloc(LIMIT / 2, 3), () => setTimeout(() => req.destroy(), 200));
      req.on('close', () => resolve());
    });
    await eventually(async () => (await storedBytes()) === before, { what: 'the abandoned upload to be purged' });
    expect(await jobCount()).toBe(jobsBefore);
  });

  it('keeps nothing of a complete file whose multipart body then breaks off', async () => {
    const before = await storedBytes();
    const broken = `--${BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="a.mp4"\r\n\r\n${'x'.repeat(50_000)}\r\n--${BOUNDARY}\r\nContent-Disposition: form-da`;
    const response = await post(broken);
    expect(response.status).toBe(400);
    expect((await storedBytes()) - before).toBeLessThan(1024);
  });

  it('gives one job per idempotency key, and refuses the key for a different submission', async () => {
    const key = { 'idempotency-key': `key-${Date.now()}` };
    const jobsBefore = await jobCount();
    const answers = await Promise.all([1, 2, 3].map(() => postText({ text: 'My name is Asha.', studentId: 's1' }, key)));
    const bodies = (await Promise.all(answers.map((answer) => answer.json()))) as Array<{ id: string; receipt: string }>;
    expect(answers.map((answer) => answer.status)).toEqual([202, 202, 202]);
    expect(new Set(bodies.map((body) => body.id)).size).toBe(1);
    expect(await jobCount()).toBe(jobsBefore + 1);

    const other = await postText({ text: 'My name is Ravi.', studentId: 's2' }, key);
    expect(other.status).toBe(422);
    const error = ((await other.json()) as any).error;
    expect(error.code).toBe('IDEMPOTENCY_KEY_REUSED');
    expect(JSON.stringify(error)).not.toContain(bodies[0].receipt);
  });

  it('tells a wrong admin token apart from a missing receipt and a receipt for another job, and lets the admin in', async () => {
    const { id } = (await (await postText({ text: 'hello there' })).json()) as { id: string };
    const wrong = await fetch(`${url}/api/submissions/${id}`, { headers: { authorization: 'Bearer not-the-token-at-all' } });
    expect(wrong.status).toBe(403);
    expect(((await wrong.json()) as any).error).toEqual({ code: 'FORBIDDEN', message: 'the admin token was not accepted' });
    const none = await fetch(`${url}/api/submissions/${id}`);
    expect(none.status).toBe(401);
    expect(((await none.json()) as any).error.code).toBe('UNAUTHORIZED');
    const { receipt: otherReceipt } = (await (await postText({ text: 'someone else' })).json()) as { receipt: string };
    const foreign = await fetch(`${url}/api/submissions/${id}`, { headers: { 'x-receipt': otherReceipt } });
    expect(foreign.status).toBe(403);
    const admin = await fetch(`${url}/api/submissions/${id}`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
    expect(admin.status).toBe(200);
    expect(((await admin.json()) as SubmissionResult).id).toBe(id);
    expect(((await foreign.json()) as any).error).toEqual({ code: 'FORBIDDEN', message: 'this receipt does not belong to that submission' });
  });

  it('rejects unknown JSON fields and a malformed idempotency key', async () => {
    const unknown = await fetch(`${url}/api/submissions`, {
      method: 'POST',
      body: JSON.stringify({ text: 'hi', grade: 'A' }),
      headers: { 'content-type': 'application/json' },
    });
    expect(unknown.status).toBe(400);
    expect(((await unknown.json()) as any).error.message).toContain('grade');
    const key = await fetch(`${url}/api/submissions`, {
      method: 'POST',
      body: JSON.stringify({ text: 'hi' }),
      headers: { 'content-type': 'application/json', 'idempotency-key': 'has spaces' },
    });
    expect(key.status).toBe(400);
  });

  it('shows the job\'s notice (why it waits) in the job view, and never the operators\' detail', async () => {
    const { id, receipt } = (await (await postText({ text: 'hello there' })).json()) as { id: string; receipt: string };
    const view = async () =>
      (await (await fetch(`${url}/api/submissions/${id}`, { headers: { 'x-receipt': receipt } })).json()) as SubmissionResult;
    expect((await view()).notice).toBeNull();
    const notice = 'Waiting for the profile extraction engine, which cannot be reached right now; this step is retried automatically.';
    await new JobStore(buckets.jobs).mutate(id, (record) => ({ ...record, notice, errorDetail: 'ECONNREFUSED 10.0.0.7:11434' }));
    const waiting = await view();
    expect(waiting.notice).toBe(notice);
    expect(JSON.stringify(waiting)).not.toContain('ECONNREFUSED');
  });

  it('answers with the stored state and no place in line while the status service is unreachable', async () => {
    const { id, receipt } = (await (await postText({ text: 'hello there' })).json()) as { id: string; receipt: string };
    const answer = await fetch(`${url}/api/submissions/${id}`, { headers: { 'x-receipt': receipt } });
    expect(answer.status).toBe(200);
    expect(await answer.json()).toMatchObject({ id, status: 'queued', stage: 'extract', position: [], waitingFor: null, eta: null });
    // The admin views have nothing to fall back on: they say the status service is away.
    const queues = await fetch(`${url}/api/status/queues`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
    expect(queues.status).toBe(503);
    expect(((await queues.json()) as any).error.code).toBe('UNAVAILABLE');
  });

  it('takes the receipt from the query on the event stream only, and says there when the live view is away', async () => {
    const { id, receipt } = (await (await postText({ text: 'hello there' })).json()) as { id: string; receipt: string };
    const plain = await fetch(`${url}/api/submissions/${id}?receipt=${encodeURIComponent(receipt)}`);
    expect(plain.status).toBe(401);
    const foreign = await fetch(`${url}/api/submissions/${id}/events?receipt=not-a-receipt`);
    expect(foreign.status).toBe(403);
    const events = await fetch(`${url}/api/submissions/${id}/events?receipt=${encodeURIComponent(receipt)}`);
    expect(events.status).toBe(200);
    expect(events.headers.get('content-type')).toContain('text/event-stream');
    const text = await events.text(); // the stream ends after the one event: the client reconnects after `retry`
    expect(text).toContain('event: unavailable');
    expect(text).toMatch(/retry: \d+/);
    expect(text).toContain('"code":"UNAVAILABLE"');
  });

  it('answers 404 for a job that does not exist and 400 for an id that is not one', async () => {
    const signer = await ReceiptSigner.open(buckets.settings, null);
    const id = '6f1d7a52-4a8b-4f5e-9a39-0c5a3b1e2d4f';
    const missing = await fetch(`${url}/api/submissions/${id}`, { headers: { 'x-receipt': signer.receiptFor(id) } });
    expect(missing.status).toBe(404);
    const malformed = await fetch(`${url}/api/submissions/not-an-id`);
    expect(malformed.status).toBe(400);
    // The id is checked before the credentials, whatever they are.
    const malformedWithToken = await fetch(`${url}/api/submissions/not-an-id`, { headers: { authorization: 'Bearer not-the-token-at-all' } });
    expect(malformedWithToken.status).toBe(400);
    expect(((await malformedWithToken.json()) as any).error.code).toBe('INVALID_INPUT');
  });

  it('is healthy and ready', async () => {
    expect((await fetch(`${url}/healthz`)).status).toBe(200);
    expect((await fetch(`${url}/readyz`)).status).toBe(200);
  });

  // Last: it stops the server.
  it('answers 503 with Retry-After, not 500, while NATS is down', async () => {
    await server.stop();
    const response = await postText({ text: 'My name is Asha.' });
    expect(response.status).toBe(503);
    expect(response.headers.get('retry-after')).toBe('5');
    expect(((await response.json()) as any).error.code).toBe('UNAVAILABLE');
    await server.start();
  });
});
