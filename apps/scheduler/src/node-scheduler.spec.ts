import { describe, expect, it, jest } from '@jest/globals';
import { perGroup, type Stage } from '@introeval/contracts';
import type { LeaseRecord, StoredLease, WorkerReport } from '@introeval/lease';
import { eventually } from '@introeval/testing';
import type { GpuNodeSpec } from './gpu-nodes.config.js';
import { NodeScheduler, type NodeSchedulerDeps } from './node-scheduler.js';
import { STAY, type Decision, type NodeView } from '@introeval/scheduling';
import type { StageQueue } from './queue-observer.js';
import { SwitchTimer } from './switch-timer.js';

const NODE = {
  name: 'gpu-0',
  vramMb: 8192,
  groups: perGroup((group) => ({ vramMb: { stt: 4500, extract: 5100, rate: 5600 }[group], concurrency: 2, serviceSec: 7, driver: { kind: 'ollama' } })),
} as GpuNodeSpec;

const LEASE: StoredLease = {
  record: { node: 'gpu-0', phase: ['stt'], state: 'granted', epoch: 4, holder: 'me', since: new Date(0).toISOString() },
  revision: 9,
};

function report(fields: Partial<WorkerReport>): WorkerReport {
  return { node: 'gpu-0', group: 'stt', workerId: 'w', epoch: 4, state: 'busy', inFlight: 0, started: 0, leaseRevision: 9, at: '', ...fields };
}

/** A NodeScheduler on fakes: `queues` per stage, a fixed lease, and a policy that answers `decide`. */
function scheduler(opts: { leader?: boolean; queues?: Partial<Record<Stage, Partial<StageQueue>>>; decide?: () => Decision } = {}) {
  const views: NodeView[] = [];
  const stopping = new AbortController();
  const deps: NodeSchedulerDeps = {
    node: NODE,
    budgetMb: 8192,
    tickMs: 1,
    policy: {
      name: 'fake',
      decide: (view) => {
        views.push(view);
        return opts.decide?.() ?? STAY;
      },
    },
    election: { isLeader: opts.leader ?? true, start: () => undefined, stop: async () => undefined, onChange: () => () => undefined },
    store: { read: jest.fn(async () => LEASE) },
    presence: {
      liveOnAllNodes: async () => [
        report({ group: 'stt', inFlight: 2, started: 5 }),
        report({ group: 'stt', node: 'gpu-1', inFlight: 1, started: 1 }),
      ],
    },
    queues: { observe: async (stage) => ({ waiting: 0, unacked: 0, oldestWaitingAt: null, ...opts.queues?.[stage] }) },
    switcher: {
      init: async () => LEASE,
      replaceCorrupt: async () => LEASE,
      releaseUngranted: jest.fn(async () => undefined),
      resume: async (lease) => lease,
      switchTo: jest.fn(async (lease: StoredLease, _next: { phase: LeaseRecord['phase'] }) => lease),
    },
    logger: { log: () => undefined, warn: () => undefined },
    switchTimer: new SwitchTimer(),
    stopping,
  };
  return { scheduler: new NodeScheduler(deps), deps, views, stopping };
}

describe('NodeScheduler', () => {
  it('shows the policy every group: its queue, its workers on this node, and the CPU stage feeding speech-to-text', async () => {
    const oldest = Date.now() - 5000;
    const { scheduler: s, deps, views } = scheduler({
      queues: { upload: { waiting: 2, unacked: 1 }, transcribe: { waiting: 3, oldestWaitingAt: oldest }, rate: { waiting: 1 } },
    });
    s.start();
    await eventually(() => views.length > 0, { timeoutMs: 5000, intervalMs: 5 });
    await s.stop();

    const view = views[0];
    expect(view).toMatchObject({ phase: ['stt'], state: 'granted', budgetMb: 8192, quota: null, sinceSec: 0 });
    expect(Object.keys(view.groups)).toEqual(['stt', 'extract', 'rate']);
    expect(view.groups.stt).toMatchObject({
      group: 'stt',
      vramMb: 4500,
      concurrency: 2,
      serviceSec: 7,
      waiting: 3,
      // Only this node's workers count as running here; gpu-1's job is not.
      running: 2,
      startedInEpoch: 5,
      upstream: 3,
    });
    expect(view.groups.stt.oldestWaitSec).toBeGreaterThanOrEqual(5);
    expect(view.groups.extract).toMatchObject({ waiting: 0, upstream: 0, running: 0, oldestWaitSec: null });
    expect(view.groups.rate).toMatchObject({ waiting: 1, upstream: 0, vramMb: 5600 });
    // On first leading, whatever the lease does not grant is released once.
    expect(deps.switcher.releaseUngranted).toHaveBeenCalledTimes(1);
    expect(deps.switcher.releaseUngranted).toHaveBeenCalledWith(LEASE);
  });

  it('hands a switch decision to the switcher with the lease it decided on', async () => {
    const decision: Decision = { kind: 'switch', phase: ['extract'] };
    const { scheduler: s, deps } = scheduler({ decide: () => decision });
    s.start();
    await eventually(() => (deps.switcher.switchTo as jest.Mock).mock.calls.length > 0, { timeoutMs: 5000, intervalMs: 5 });
    await s.stop();
    expect(deps.switcher.switchTo).toHaveBeenCalledWith(LEASE, decision);
  });

  it('does nothing while it does not lead, and aborts its switcher when stopped', async () => {
    const { scheduler: s, deps, views, stopping } = scheduler({ leader: false });
    s.start();
    await new Promise((resolve) => setTimeout(resolve, 30));
    await s.stop();
    expect(deps.store.read).not.toHaveBeenCalled();
    expect(views).toHaveLength(0);
    expect(stopping.signal.aborted).toBe(true);
  });
});
