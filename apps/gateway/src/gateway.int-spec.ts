import { request } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { Test } from '@nestjs/testing';
import { Streams, Subjects } from '@introeval/contracts';
import { loadConfig } from '@introeval/config';
import { ensureTopology, JetStreamPublisher } from '@introeval/messaging';
import { connectNats, JobStore, openBuckets, ReceiptSigner, type Buckets } from '@introeval/storage';
import { startNatsServer, type NatsServerHandle } from '@introeval/testing';
import { jetstreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { GatewayConfig } from './gateway.config.js';
import { GatewayModule } from './gateway.module.js';

const LIMIT = 256 * 1024;
const BOUNDARY = 'introeval-spec-boundary';

/**
 * Streams a multipart upload with chunked transfer encoding (no Content-Length, as a browser streaming a recording
 * may), writing until the server answers. Returns the answer and how many bytes were sent before it came.
 */
function chunkedUpload(port: number, totalBytes: number): Promise<{ status: number; body: any; sent: number }> {
  return new Promise((resolve, reject) => {
    let sent = 0;
    let answered = false;
    const req = request({
      host: '127.0.0.1',
      port,
      method: 'POST',
      path: '/api/submissions',
      headers: { 'content-type': `multipart/form-data; boundary=${BOUNDARY}`, 'transfer-encoding': 'chunked' },
    });
    req.on('response', (res) => {
      answered = true;
      let text = '';
      res.on('data', (chunk: Buffer) => (text += chunk.toString()));
      res.on('end', () => resolve({ status: res.statusCode!, body: JSON.parse(text), sent }));
    });
    req.on('error', (error) => (answered ? undefined : reject(error)));
    req.write(`--${BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="big.mp4"\r\ncontent-type: video/mp4\r\n\r\n`);
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

  const objectCount = async () => (await buckets.media.list()).length;

  beforeAll(async () => {
    server = await startNatsServer();
    nc = await connectNats(server.url, 'gateway-spec');
    await ensureTopology(nc);
    buckets = await openBuckets(nc);
    const config = loadConfig(GatewayConfig, { MEDIA_MAX_BYTES: String(LIMIT), NATS_URL: server.url });
    const receipts = await ReceiptSigner.open(buckets.settings, null);
    const moduleRef = await Test.createTestingModule({
      imports: [GatewayModule.register({ config, nc, buckets, receipts, publisher: new JetStreamPublisher(nc) })],
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
    const before = await objectCount();
    const { status, body, sent } = await chunkedUpload(port, 40 * LIMIT);
    expect(status).toBe(413);
    expect(body.error.code).toBe('MEDIA_TOO_LARGE');
    expect(body.error.message).toContain('MB');
    expect(sent).toBeLessThan(40 * LIMIT);
    expect(await objectCount()).toBe(before);
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
    const before = await objectCount();
    const missing = await post(multipart([{ name: 'studentId', value: 'stu-1' }]));
    expect(missing.status).toBe(400);
    expect(((await missing.json()) as any).error.message).toContain('`file`');
    const badStudent = await post(multipart([{ name: 'studentId', value: 'no spaces allowed' }, { name: 'file', value: 'x', filename: 'a.mp4' }]));
    expect(badStudent.status).toBe(400);
    expect(((await badStudent.json()) as any).error.message).toContain('studentId');
    expect(await objectCount()).toBe(before);
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

  it('answers 404 for a job that does not exist and 400 for an id that is not one', async () => {
    const signer = await ReceiptSigner.open(buckets.settings, null);
    const id = '6f1d7a52-4a8b-4f5e-9a39-0c5a3b1e2d4f';
    const missing = await fetch(`${url}/api/submissions/${id}`, { headers: { 'x-receipt': signer.receiptFor(id) } });
    expect(missing.status).toBe(404);
    const malformed = await fetch(`${url}/api/submissions/not-an-id`);
    expect(malformed.status).toBe(400);
  });

  it('is healthy and ready', async () => {
    expect((await fetch(`${url}/healthz`)).status).toBe(200);
    expect((await fetch(`${url}/readyz`)).status).toBe(200);
  });
});
