import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { connectNats } from '@introeval/nats';
import { eventually, startNatsServer, type NatsServerHandle } from '@introeval/testing';
import type { NatsConnection } from '@nats-io/transport-node';
import { openLeaseBuckets, type LeaseBuckets } from './lease.buckets.js';
import { quietLogger } from './lease.fixture.js';
import type { Group, WorkerReport } from './lease.record.js';
import { WorkerPresence } from './worker.presence.js';

const HEARTBEAT_TTL_MS = 1500;

function report(node: string, group: Group, workerId: string, fields: Partial<WorkerReport> = {}): WorkerReport {
  return { node, group, workerId, epoch: 1, state: 'idle', inFlight: 0, started: 0, leaseRevision: 0, at: new Date().toISOString(), ...fields };
}

describe('WorkerPresence on a real nats-server', () => {
  let server: NatsServerHandle;
  let nc: NatsConnection;
  let buckets: LeaseBuckets;
  let presence: WorkerPresence;

  beforeAll(async () => {
    server = await startNatsServer();
    nc = await connectNats(server.url, 'presence-spec');
    buckets = await openLeaseBuckets(nc, { leaderTtlMs: 1500, heartbeatTtlMs: HEARTBEAT_TTL_MS });
    presence = new WorkerPresence(buckets, quietLogger);
  });
  afterAll(async () => {
    await nc.close();
    await server.dispose();
  });

  it('keeps a heartbeating worker present past the TTL and drops it once the heartbeats stop', async () => {
    const node = 'gpu-beat';
    let beats = 0;
    const heartbeat = setInterval(() => {
      beats++;
      void presence.report(report(node, 'stt', 'w1', { state: 'busy', inFlight: 2 }));
    }, 250);
    await presence.report(report(node, 'stt', 'w1', { state: 'busy', inFlight: 2 }));
    // About three TTLs of heartbeats: every look finds it.
    const looks: number[] = [];
    await eventually(
      async () => {
        looks.push((await presence.live(node)).length);
        return beats >= 16;
      },
      { timeoutMs: 20_000, what: 'sixteen heartbeats' },
    );
    clearInterval(heartbeat);
    expect(looks.every((count) => count === 1)).toBe(true);
    expect(await presence.live(node, 'stt')).toEqual([expect.objectContaining({ workerId: 'w1', state: 'busy', inFlight: 2 })]);

    await eventually(async () => (await presence.live(node)).length === 0, { timeoutMs: 10_000, what: 'the report to expire' });
  });

  it('removes a worker that stops cleanly at once', async () => {
    const node = 'gpu-remove';
    await presence.report(report(node, 'rate', 'w1'));
    await presence.report(report(node, 'rate', 'w2'));
    await presence.remove(node, 'rate', 'w1');
    expect((await presence.live(node)).map((worker) => worker.workerId)).toEqual(['w2']);
  });

  it('lists one node (dotted names included) and one group, skipping a corrupt report', async () => {
    const node = 'gpu-1.lab.example';
    await presence.report(report(node, 'stt', 'a'));
    await presence.report(report(node, 'extract', 'b', { epoch: 7 }));
    await presence.report(report('gpu-1.lab', 'stt', 'c'));
    await presence.report(report(`${node}.annex`, 'stt', 'd'));
    await buckets.workers.put(`${node}.rate.broken`, '{"node": 1}');

    expect((await presence.live(node)).map((worker) => `${worker.group}/${worker.workerId}`)).toEqual(['extract/b', 'stt/a']);
    expect(await presence.live(node, 'extract')).toEqual([expect.objectContaining({ workerId: 'b', epoch: 7 })]);
    expect(await presence.live(node, 'rate')).toEqual([]);
  });

  it('lists every node’s reports, one group or all, skipping a corrupt report', async () => {
    await presence.report(report('gpu-a', 'stt', 'all-1', { inFlight: 2 }));
    await presence.report(report('gpu-b.lab', 'stt', 'all-2', { inFlight: 1 }));
    await presence.report(report('gpu-b.lab', 'rate', 'all-3'));
    await buckets.workers.put('gpu-c.stt.all-broken', '{"node": 1}');
    const mine = (reports: WorkerReport[]) => reports.filter((r) => r.workerId.startsWith('all-')).map((r) => `${r.node}/${r.group}/${r.workerId}`);

    expect(mine(await presence.liveOnAllNodes('stt'))).toEqual(['gpu-a/stt/all-1', 'gpu-b.lab/stt/all-2']);
    expect(mine(await presence.liveOnAllNodes())).toEqual(['gpu-b.lab/rate/all-3', 'gpu-a/stt/all-1', 'gpu-b.lab/stt/all-2']);
  });

  it('refuses reports it could not store under an unambiguous key', async () => {
    await expect(presence.report(report('gpu', 'stt', 'has.dot'))).rejects.toThrow(/worker id/);
    await expect(presence.report(report('gpu..x', 'stt', 'w'))).rejects.toThrow(/node name/);
    await expect(presence.report(report('gpu', 'stt', 'w', { inFlight: -1 }))).rejects.toThrow(/inFlight/);
  });
});
