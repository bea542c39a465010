import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { connectNats } from '@introeval/nats';
import { eventually, startNatsServer, type NatsServerHandle } from '@introeval/testing';
import type { NatsConnection } from '@nats-io/transport-node';
import { LeaderElection } from './leader.election.js';
import { openLeaseBuckets, type LeaseBuckets } from './lease.buckets.js';
import { JumpingClock, leaseRecord, quietLogger } from './lease.fixture.js';
import { LeaseGate } from './lease.gate.js';
import type { Group, LeaseRecord, LeaseState } from './lease.record.js';
import { LeaseStore } from './lease.store.js';
import { WorkerPresence } from './worker.presence.js';

const BUCKET_OPTIONS = { leaderTtlMs: 1500, heartbeatTtlMs: 10_000 };

describe('LeaseGate on a real nats-server', () => {
  let server: NatsServerHandle;
  let nc: NatsConnection;
  let buckets: LeaseBuckets;
  let store: LeaseStore;
  let presence: WorkerPresence;
  const elections: LeaderElection[] = [];
  const gates: LeaseGate[] = [];
  const connections: NatsConnection[] = [];
  let nodes = 0;

  /** A node with a scheduler leader, and a way to set its lease as that leader. */
  async function schedulerFor(node: string) {
    const leader = new LeaderElection(buckets.leaders, { key: node, holder: `sched-${node}`, ttlMs: 1500, logger: quietLogger });
    elections.push(leader);
    leader.start();
    await eventually(() => leader.isLeader, { what: 'a leader' });
    return async (fields: { phase: Group[]; state: LeaseState; epoch: number } & Partial<LeaseRecord>): Promise<number> => {
      const revision = (await buckets.leases.get(node))?.revision ?? null;
      return store.write(node, leaseRecord(node, leader.holder, fields), revision, leader);
    };
  }

  async function gateFor(node: string, group: Group, opts: { heartbeatEveryMs?: number; clock?: JumpingClock; via?: LeaseBuckets } = {}) {
    const via = opts.via ?? buckets;
    const gate = new LeaseGate(new LeaseStore(via, quietLogger), new WorkerPresence(via, quietLogger), {
      node,
      group,
      workerId: `${group}-worker`,
      heartbeatEveryMs: opts.heartbeatEveryMs ?? 300,
      clock: opts.clock,
      logger: quietLogger,
    });
    gates.push(gate);
    await gate.start();
    return gate;
  }

  const reportOf = async (node: string, group: Group) => (await presence.live(node, group))[0];

  beforeAll(async () => {
    server = await startNatsServer();
    nc = await connectNats(server.url, 'lease-gate-spec');
    buckets = await openLeaseBuckets(nc, BUCKET_OPTIONS);
    store = new LeaseStore(buckets, quietLogger);
    presence = new WorkerPresence(buckets, quietLogger);
  });
  afterAll(async () => {
    await Promise.all(gates.map((gate) => gate.stop()));
    await Promise.all(elections.map((election) => election.stop()));
    await Promise.all(connections.map((connection) => connection.close()));
    await nc.close();
    await server.dispose();
  });

  const nextNode = () => `gpu-${++nodes}`;

  it('grants its group only while the lease is granted to a phase that includes it', async () => {
    const node = nextNode();
    const setLease = await schedulerFor(node);
    const gate = await gateFor(node, 'extract');
    let changes = 0;
    gate.onChange(() => changes++);
    expect(gate.grantedEpoch).toBeNull();
    expect(gate.allowance(4)).toBeNull();

    const steps: [Parameters<typeof setLease>[0], number | null][] = [
      [{ phase: ['extract'], state: 'loading', epoch: 1 }, null],
      [{ phase: ['extract'], state: 'granted', epoch: 1 }, 1],
      [{ phase: ['extract'], state: 'draining', epoch: 1 }, null],
      [{ phase: ['stt'], state: 'granted', epoch: 2 }, null],
      [{ phase: ['stt', 'extract'], state: 'granted', epoch: 3 }, 3],
      [{ phase: ['stt', 'extract'], state: 'releasing', epoch: 3 }, null],
      [{ phase: [], state: 'idle', epoch: 3 }, null],
    ];
    for (const [lease, expected] of steps) {
      const revision = await setLease(lease);
      await eventually(() => gate.lease?.state === lease.state && gate.lease.epoch === lease.epoch && revision, {
        what: `the gate to see ${lease.state} ${lease.epoch}`,
      });
      expect(gate.grantedEpoch).toBe(expected);
    }
    expect(changes).toBeGreaterThanOrEqual(steps.length);
  });

  it('hands out the lease concurrency and counts the quota per epoch', async () => {
    const node = nextNode();
    const setLease = await schedulerFor(node);
    const gate = await gateFor(node, 'rate');

    await setLease({ phase: ['rate'], state: 'granted', epoch: 1 });
    await eventually(() => gate.grantedEpoch === 1, { what: 'epoch 1' });
    expect(gate.allowance(4)).toEqual({ concurrency: 4, quota: null });

    await setLease({ phase: ['rate'], state: 'granted', epoch: 2, concurrency: { rate: 2, stt: 8 }, quota: 3 });
    await eventually(() => gate.grantedEpoch === 2, { what: 'epoch 2' });
    expect(gate.allowance(4)).toEqual({ concurrency: 2, quota: 3 });
    gate.setInFlight(1, 2);
    gate.setInFlight(2, 2);
    expect(gate.allowance(4)).toEqual({ concurrency: 2, quota: 1 });
    gate.setInFlight(1);
    gate.setInFlight(2, 2);
    gate.setInFlight(3, 2);
    expect(gate.allowance(4)).toEqual({ concurrency: 2, quota: 0 });

    // A new grant brings a fresh quota.
    await setLease({ phase: ['rate'], state: 'granted', epoch: 3, quota: 3 });
    await eventually(() => gate.grantedEpoch === 3, { what: 'epoch 3' });
    expect(gate.allowance(4)).toEqual({ concurrency: 4, quota: 3 });
    expect(() => gate.setInFlight(-1)).toThrow(RangeError);
  });

  it('reports busy while work is in flight and idle for the draining epoch as soon as it reaches 0', async () => {
    const node = nextNode();
    const setLease = await schedulerFor(node);
    // Periodic heartbeats a minute apart: whatever the scheduler sees within this spec was reported on the change.
    const gate = await gateFor(node, 'stt', { heartbeatEveryMs: 60_000 });
    expect(await reportOf(node, 'stt')).toMatchObject({ epoch: 0, state: 'idle', inFlight: 0 });

    await setLease({ phase: ['stt'], state: 'granted', epoch: 5 });
    await eventually(async () => (await reportOf(node, 'stt'))?.epoch === 5, { what: 'the new epoch acknowledged' });
    gate.setInFlight(1, 5);
    gate.setInFlight(2, 5);
    await eventually(async () => (await reportOf(node, 'stt'))?.inFlight === 2, { what: 'a busy report' });
    expect(await reportOf(node, 'stt')).toMatchObject({ epoch: 5, state: 'busy', workerId: 'stt-worker' });

    await setLease({ phase: ['stt'], state: 'draining', epoch: 5 });
    await eventually(() => gate.grantedEpoch === null, { what: 'draining to stop new work' });
    gate.setInFlight(1);
    await eventually(async () => (await reportOf(node, 'stt'))?.inFlight === 1, { what: 'one left' });
    expect((await reportOf(node, 'stt'))?.state).toBe('busy');
    gate.setInFlight(0);
    await eventually(async () => (await reportOf(node, 'stt'))?.state === 'idle', { what: 'the idle report' });
    expect(await reportOf(node, 'stt')).toMatchObject({ epoch: 5, state: 'idle', inFlight: 0 });
  });

  it('grants nothing on a corrupt or deleted lease, and recovers when it is rewritten', async () => {
    const node = nextNode();
    const setLease = await schedulerFor(node);
    const gate = await gateFor(node, 'stt');
    await setLease({ phase: ['stt'], state: 'granted', epoch: 1 });
    await eventually(() => gate.grantedEpoch === 1, { what: 'the grant' });

    await buckets.leases.put(node, '{"phase": "stt"}');
    await eventually(() => gate.grantedEpoch === null && gate.lease === null, { what: 'the corrupt lease to revoke the grant' });
    await setLease({ phase: ['stt'], state: 'granted', epoch: 2 });
    await eventually(() => gate.grantedEpoch === 2, { what: 'the grant back' });

    await buckets.leases.delete(node);
    await eventually(() => gate.grantedEpoch === null, { what: 'the deletion to revoke the grant' });
  });

  it('lets the grant lapse when its heartbeats stop landing', async () => {
    const node = nextNode();
    const setLease = await schedulerFor(node);
    await setLease({ phase: ['extract'], state: 'granted', epoch: 1 });

    // A stall: the gate's clock says its last stored heartbeat is too old, so it does not trust the grant.
    const clock = new JumpingClock();
    const stalled = await gateFor(node, 'extract', { clock });
    expect(stalled.grantedEpoch).toBe(1);
    clock.jump(1_000);
    expect(stalled.grantedEpoch).toBeNull();
    await eventually(() => stalled.grantedEpoch === 1, { what: 'the next heartbeat to restore the grant' });

    // A worker cut off from NATS: listeners hear that the grant lapsed, without any lease change.
    const lonely = await connectNats(server.url, 'lonely-worker');
    connections.push(lonely);
    const cutOff = await gateFor(node, 'extract', { via: await openLeaseBuckets(lonely, BUCKET_OPTIONS) });
    expect(cutOff.grantedEpoch).toBe(1);
    let told = false;
    cutOff.onChange(() => (told = cutOff.grantedEpoch === null));
    await lonely.close();
    await eventually(() => told, { what: 'the lapse to be announced' });
  });

  it('revokes the grant and removes its report on stop()', async () => {
    const node = nextNode();
    const setLease = await schedulerFor(node);
    await setLease({ phase: ['rate'], state: 'granted', epoch: 1 });
    const gate = await gateFor(node, 'rate');
    expect(gate.grantedEpoch).toBe(1);
    expect(await reportOf(node, 'rate')).toBeDefined();

    await gate.stop();
    expect(gate.grantedEpoch).toBeNull();
    expect(await presence.live(node)).toEqual([]);
  });
});
