import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startNatsServer, type NatsServerHandle } from '@introeval/testing';
import { jetstreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { BucketNames } from './bucket-names.js';
import { isCasConflict } from './cas.js';
import { connectNats } from './nats-connection.js';
import { openKv, openObjectStore } from './open-bucket.js';

describe('nats helpers on a real nats-server', () => {
  let server: NatsServerHandle;
  let nc: NatsConnection;

  beforeAll(async () => {
    server = await startNatsServer();
    nc = await connectNats(server.url, 'nats-spec');
  });

  afterAll(async () => {
    await nc?.close();
    await server?.dispose();
  });

  it('gives every bucket its own name', () => {
    const names = Object.values(BucketNames);
    expect(new Set(names).size).toBe(names.length);
  });

  it('creates a KV bucket, then opens the same one again', async () => {
    const kv = await openKv(nc, BucketNames.jobs, { history: 1, ttlMs: 0 });
    await kv.put('a', '1');
    const again = await openKv(nc, BucketNames.jobs, { history: 1, ttlMs: 0 });
    expect((await again.get('a'))?.string()).toBe('1');
    expect(await again.status()).toMatchObject({ bucket: BucketNames.jobs, history: 1, ttl: 0 });
  });

  it('applies a changed TTL and history to a bucket that exists', async () => {
    await openKv(nc, BucketNames.workers, { history: 1, ttlMs: 3000 });
    const reopened = await openKv(nc, BucketNames.workers, { history: 2, ttlMs: 1500 });
    expect(await reopened.status()).toMatchObject({ history: 2, ttl: 1500 });
    const stream = await (await jetstreamManager(nc)).streams.info(`KV_${BucketNames.workers}`);
    expect(stream.config).toMatchObject({ max_age: 1500 * 1_000_000, max_msgs_per_subject: 2, duplicate_window: 1500 * 1_000_000 });
  });

  it('tells a lost compare-and-set from other failures', async () => {
    const kv = await openKv(nc, BucketNames.leases, { history: 5, ttlMs: 0 });
    const revision = await kv.create('node-a', 'first');
    await kv.update('node-a', 'second', revision);

    const stale = await kv.update('node-a', 'third', revision).catch((e: unknown) => e);
    const exists = await kv.create('node-a', 'again').catch((e: unknown) => e);
    expect(isCasConflict(stale)).toBe(true);
    expect(isCasConflict(exists)).toBe(true);
    expect(isCasConflict(new Error('wrong last sequence'))).toBe(false);
    expect((await kv.get('node-a'))?.string()).toBe('second');
  });

  it('creates an object store', async () => {
    const store = await openObjectStore(nc, BucketNames.media);
    await store.putBlob({ name: 'job/source' }, new TextEncoder().encode('bytes'));
    expect(new TextDecoder().decode((await store.getBlob('job/source')) ?? undefined)).toBe('bytes');
    expect((await store.status()).bucket).toBe(BucketNames.media);
  });
});
