import { randomUUID } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { newJobRecord } from '@introeval/contracts';
import { connectNats } from '@introeval/nats';
import { startNatsServer, type NatsServerHandle } from '@introeval/testing';
import type { NatsConnection } from '@nats-io/transport-node';
import { openBuckets, type Buckets } from './buckets.js';
import { IdempotencyStore } from './idempotency.store.js';
import { JobStore } from './job.store.js';
import { MediaStore } from './media.store.js';
import { ReceiptSigner } from './receipts.js';

describe('storage on a real nats-server', () => {
  let server: NatsServerHandle;
  let nc: NatsConnection;
  let buckets: Buckets;
  let dir: string;

  beforeAll(async () => {
    server = await startNatsServer();
    nc = await connectNats(server.url, 'storage-spec');
    buckets = await openBuckets(nc);
    dir = await mkdtemp(join(tmpdir(), 'storage-spec-'));
  });
  afterAll(async () => {
    await nc.close();
    await server.dispose();
    await rm(dir, { recursive: true, force: true });
  });

  it('opens the buckets again without error (every service does at boot)', async () => {
    await expect(openBuckets(nc)).resolves.toBeDefined();
  });

  it('never loses a write when many writers mutate one record at once', async () => {
    const jobs = new JobStore(buckets.jobs);
    const id = randomUUID();
    await jobs.create(newJobRecord({ id, source: 'text', studentId: null, media: null, transcript: null, traceparent: null, now: new Date() }));
    await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        jobs.mutate(id, (record) => ({ ...record, feedback: [...record.feedback, `note ${i}`] })),
      ),
    );
    const stored = await jobs.get(id);
    expect(stored?.feedback).toHaveLength(20);
    await expect(jobs.create(stored!)).rejects.toThrow();
  });

  it('names the job when a record is missing', async () => {
    const jobs = new JobStore(buckets.jobs);
    const id = randomUUID();
    await expect(jobs.require(id)).rejects.toThrow(id);
    expect(await jobs.get(id)).toBeNull();
  });

  it('streams a file through the object store unchanged', async () => {
    const media = new MediaStore(buckets.media);
    const input = join(dir, 'in.bin');
    const output = join(dir, 'out.bin');
    const bytes = Buffer.alloc(3 * 1024 * 1024 + 17, 7);
    bytes.write('introeval', 1000);
    await writeFile(input, bytes);
    expect(await media.putFile('a/source', input)).toBe(bytes.length);
    expect(await media.size('a/source')).toBe(bytes.length);
    await media.getToFile('a/source', output);
    expect((await readFile(output)).equals(bytes)).toBe(true);
    await media.delete('a/source');
    expect(await media.size('a/source')).toBeNull();
  });

  it('gives one job per idempotency key even when claims race', async () => {
    const store = new IdempotencyStore(buckets.idempotency);
    const key = `key-${randomUUID()}`;
    const owners = await Promise.all(['j1', 'j2', 'j3'].map((jobId) => store.claim(key, { jobId, fingerprint: `f-${jobId}` })));
    expect(new Set(owners.map((owner) => owner.jobId)).size).toBe(1);
    expect(await store.find(key)).toEqual(owners[0]);
    expect(owners[0].fingerprint).toBe(`f-${owners[0].jobId}`);
  });

  it('shares one receipt secret between processes and rejects forged receipts', async () => {
    const a = await ReceiptSigner.open(buckets.settings, null);
    const b = await ReceiptSigner.open(buckets.settings, null);
    const receipt = a.receiptFor('job-1');
    expect(b.verify('job-1', receipt)).toBe(true);
    expect(b.verify('job-2', receipt)).toBe(false);
    expect(b.verify('job-1', 'x')).toBe(false);
  });
});
