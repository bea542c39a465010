import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { BucketNames, connectNats } from '@introeval/nats';
import { eventually, startNatsServer, type NatsServerHandle } from '@introeval/testing';
import type { NatsConnection } from '@nats-io/transport-node';
import { LeaderElection } from './leader.election.js';
import { openLeaseBuckets, type LeaseBuckets } from './lease.buckets.js';
import { LeaseConflictError, LeaseRecordInvalidError, NotLeaderError } from './lease.errors.js';
import { leaseRecord, quietLogger } from './lease.fixture.js';
import type { LeaseRecord } from './lease.record.js';
import { LeaseStore } from './lease.store.js';

const TTL_MS = 1500;

describe('LeaseStore on a real nats-server', () => {
  let server: NatsServerHandle;
  let nc: NatsConnection;
  let buckets: LeaseBuckets;
  let store: LeaseStore;
  const elections: LeaderElection[] = [];
  const watchers: { stop(): void }[] = [];
  let nodes = 0;

  async function leaderOf(node: string, holder = `sched-${node}`): Promise<LeaderElection> {
    const election = new LeaderElection(buckets.leaders, { key: node, holder, ttlMs: TTL_MS, logger: quietLogger });
    elections.push(election);
    election.start();
    await eventually(() => election.isLeader, { what: `${holder} to lead ${node}` });
    return election;
  }

  beforeAll(async () => {
    server = await startNatsServer();
    nc = await connectNats(server.url, 'lease-store-spec');
    buckets = await openLeaseBuckets(nc, { leaderTtlMs: TTL_MS, heartbeatTtlMs: 3000 });
    store = new LeaseStore(buckets, quietLogger);
  });
  afterAll(async () => {
    watchers.forEach((watch) => watch.stop());
    await Promise.all(elections.map((election) => election.stop()));
    await nc.close();
    await server.dispose();
  });

  const nextNode = () => `gpu-${++nodes}.lab`;

  it('creates, updates by compare-and-set, and refuses a stale revision', async () => {
    const node = nextNode();
    const leader = await leaderOf(node);
    const granted = leaseRecord(node, leader.holder, { phase: ['stt'], state: 'granted', epoch: 1 });
    expect(await store.read(node)).toBeNull();

    const created = await store.write(node, granted, null, leader);
    expect(await store.read(node)).toEqual({ record: granted, revision: created });
    await expect(store.write(node, granted, null, leader)).rejects.toThrow(LeaseConflictError);

    const draining: LeaseRecord = { ...granted, state: 'draining' };
    const updated = await store.write(node, draining, created, leader);
    expect(updated).toBeGreaterThan(created);
    const stale = store.write(node, { ...granted, state: 'idle' }, created, leader);
    await expect(stale).rejects.toThrow(LeaseConflictError);
    await expect(stale).rejects.toMatchObject({ code: 'LEASE_CONFLICT' });
    expect((await store.read(node))?.record.state).toBe('draining');
  });

  it('lets exactly one of two racing writes on the same revision land', async () => {
    const node = nextNode();
    const leader = await leaderOf(node);
    const revision = await store.write(node, leaseRecord(node, leader.holder, { phase: [], state: 'idle', epoch: 0 }), null, leader);
    const results = await Promise.allSettled(
      (['stt', 'rate'] as const).map((group) =>
        store.write(node, leaseRecord(node, leader.holder, { phase: [group], state: 'loading', epoch: 1 }), revision, leader),
      ),
    );
    expect(results.map((result) => result.status).sort()).toEqual(['fulfilled', 'rejected']);
    const rejected = results.find((result) => result.status === 'rejected');
    expect(rejected?.reason).toBeInstanceOf(LeaseConflictError);
  });

  it('fences a deposed leader: not leader, stale revision and lower epoch are all refused', async () => {
    const node = nextNode();
    const old = await leaderOf(node, 'sched-old');
    const first = await store.write(node, leaseRecord(node, 'sched-old', { phase: ['stt'], state: 'granted', epoch: 1 }), null, old);

    const successor = new LeaderElection(buckets.leaders, { key: node, holder: 'sched-new', ttlMs: TTL_MS, logger: quietLogger });
    elections.push(successor);
    successor.start();
    await old.stop();
    await eventually(() => successor.isLeader, { what: 'the successor to lead' });
    const second = await store.write(node, leaseRecord(node, 'sched-new', { phase: ['rate'], state: 'granted', epoch: 2 }), first, successor);

    // The old scheduler no longer leads: its own check stops it.
    await expect(
      store.write(node, leaseRecord(node, 'sched-old', { phase: ['stt'], state: 'draining', epoch: 1 }), first, old),
    ).rejects.toThrow(NotLeaderError);
    // A write made on the revision it had read (as one already in flight when it lost leadership) loses the CAS.
    await expect(
      store.write(node, leaseRecord(node, 'sched-new', { phase: ['stt'], state: 'granted', epoch: 3 }), first, successor),
    ).rejects.toThrow(LeaseConflictError);
    // And on the current revision, the epoch cannot go back.
    await expect(
      store.write(node, leaseRecord(node, 'sched-new', { phase: ['stt'], state: 'granted', epoch: 1 }), second, successor),
    ).rejects.toThrow(/epoch 2; refusing epoch 1/);
    expect((await store.read(node))?.record).toMatchObject({ phase: ['rate'], epoch: 2, holder: 'sched-new' });
  });

  it('refuses to write a record that is invalid, for another node, or signed by another holder', async () => {
    const node = nextNode();
    const leader = await leaderOf(node);
    const valid = leaseRecord(node, leader.holder, { phase: ['stt'], state: 'granted', epoch: 1 });
    await expect(store.write(node, { ...valid, epoch: -1 }, null, leader)).rejects.toThrow(/epoch must be a non-negative integer/);
    await expect(store.write(node, { ...valid, phase: ['gpu' as 'stt'] }, null, leader)).rejects.toThrow(/phase/);
    await expect(store.write(node, { ...valid, node: 'elsewhere' }, null, leader)).rejects.toThrow(/record.node/);
    await expect(store.write(node, { ...valid, holder: 'impostor' }, null, leader)).rejects.toThrow(/record.holder/);
    expect(await store.read(node)).toBeNull();
  });

  it('names the node, revision and problem of a corrupt value, and lets the leader overwrite it', async () => {
    const node = nextNode();
    const leader = await leaderOf(node);
    const corruptRevision = await buckets.leases.put(node, '{"node": "oops", "epoch": "seven"');
    const failure = await store.read(node).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(LeaseRecordInvalidError);
    expect(failure).toMatchObject({ code: 'LEASE_RECORD_INVALID', revision: corruptRevision });
    expect((failure as Error).message).toMatch(new RegExp(`${node} \\(revision ${corruptRevision}\\).*not JSON`));

    await buckets.leases.put(node, JSON.stringify({ node, phase: ['stt'], state: 'granted', epoch: 'seven' }));
    await expect(store.read(node)).rejects.toThrow(/epoch must be a non-negative integer/);

    const { revision } = failure as LeaseRecordInvalidError;
    await expect(store.write(node, leaseRecord(node, leader.holder, { phase: [], state: 'idle', epoch: 0 }), revision, leader)).rejects.toThrow(
      LeaseConflictError,
    );
    const current = (await buckets.leases.get(node))!.revision;
    await store.write(node, leaseRecord(node, leader.holder, { phase: [], state: 'idle', epoch: 0 }), current, leader);
    expect((await store.read(node))?.record.state).toBe('idle');
  });

  it('watches the current value first, then every update, deletion and corrupt value', async () => {
    const node = nextNode();
    const leader = await leaderOf(node);
    const loading = leaseRecord(node, leader.holder, { phase: ['extract'], state: 'loading', epoch: 4 });
    const first = await store.write(node, loading, null, leader);

    const seen: string[] = [];
    const watch = await store.watch(node, (record, revision) => seen.push(`${record.state}@${revision}`), {
      onDeleted: (revision) => seen.push(`deleted@${revision}`),
      onInvalid: (error) => seen.push(`invalid@${error.revision}`),
    });
    watchers.push(watch);
    await eventually(() => seen.length === 1, { what: 'the current value' });
    expect(seen).toEqual([`loading@${first}`]);

    const second = await store.write(node, { ...loading, state: 'granted', epoch: 5 }, first, leader);
    const corrupt = await buckets.leases.put(node, 'not json');
    await buckets.leases.delete(node);
    const deleted = (await buckets.leases.get(node))!.revision;
    const recreated = await store.write(node, { ...loading, state: 'idle', epoch: 5 }, null, leader);
    await eventually(() => seen.length === 5, { what: 'four more events' });
    expect(seen).toEqual([`loading@${first}`, `granted@${second}`, `invalid@${corrupt}`, `deleted@${deleted}`, `idle@${recreated}`]);

    // After stop() nothing more arrives: a second watcher proves the next write was delivered to watchers.
    watch.stop();
    const later: string[] = [];
    watchers.push(await store.watch(node, (record) => later.push(record.state)));
    await store.write(node, { ...loading, state: 'draining', epoch: 5 }, recreated, leader);
    await eventually(() => later.includes('draining'), { what: 'the second watcher to see the write' });
    expect(seen).toHaveLength(5);
  });

  it('applies a changed TTL to buckets that already exist', async () => {
    const reopened = await openLeaseBuckets(nc, { leaderTtlMs: 2500, heartbeatTtlMs: 4000 });
    expect((await reopened.leaders.status()).ttl).toBe(2500);
    expect((await reopened.workers.status()).ttl).toBe(4000);
    expect((await reopened.leases.status()).ttl).toBe(0);
    expect((await reopened.leases.status()).bucket).toBe(BucketNames.leases);
    await openLeaseBuckets(nc, { leaderTtlMs: TTL_MS, heartbeatTtlMs: 3000 });
    expect((await buckets.leaders.status()).ttl).toBe(TTL_MS);
    await expect(openLeaseBuckets(nc, { leaderTtlMs: 50, heartbeatTtlMs: 3000 })).rejects.toThrow(/leaderTtlMs/);
  });
});
