import { GROUPS, STAGES } from '@introeval/contracts';
import { toTimestamp, type GpuNode, type StageQueue } from '@introeval/status-api';
import type { NodeState } from '../adapters/system.reader.js';
import type { Snapshot } from '../snapshot/snapshot.types.js';

/** The alarm of a stage whose jobs nobody takes. */
export const NO_WORKER_ALARM = 'no worker is consuming';

/** Every stage queue, in pipeline order, with its waiting jobs in the order they will be taken (admins only). */
export function stageQueues(snapshot: Snapshot): StageQueue[] {
  return STAGES.map((stage) => {
    const queue = snapshot.stages[stage];
    const oldest = queue.waiting[0];
    const stuck = queue.consumers === 0 && queue.waiting.length > 0;
    return {
      stage,
      waiting: queue.waiting.length,
      inFlight: queue.inFlight.length,
      oldestWaitingSec: oldest ? Math.max(0, (snapshot.atMs - oldest.queuedAtMs) / 1000) : 0,
      consumers: queue.consumers,
      deadLetters: queue.deadLetters,
      alarm: stuck ? NO_WORKER_ALARM : undefined,
      jobs: queue.waiting.map((job, index) => ({
        jobId: job.jobId ?? `unreadable message ${job.seq}`,
        studentId: job.studentId ?? undefined,
        position: index + 1,
        queuedAt: toTimestamp(job.queuedAtMs),
      })),
    };
  });
}

function switchOf(node: NodeState, atMs: number): GpuNode['switch'] {
  const lease = node.lease;
  if (!lease || lease.state === 'granted' || lease.state === 'idle') return undefined;
  // Draining and releasing leave `phase`, heading for `next`; loading brings `phase` up.
  const from = lease.state === 'loading' ? [] : lease.phase;
  const to = lease.state === 'loading' ? lease.phase : (lease.next?.phase ?? []);
  const startedAt = Date.parse(node.report?.switchStartedAt ?? lease.since);
  return { from, to, state: lease.state, elapsedSec: Number.isFinite(startedAt) ? Math.max(0, (atMs - startedAt) / 1000) : 0 };
}

/** Every GPU node: its lease, the scheduler's plan and measurements, what its engines report resident (admins only). */
export function gpuNodes(snapshot: Snapshot): GpuNode[] {
  return snapshot.nodes.map((node) => {
    const { lease, report } = node;
    return {
      name: node.name,
      lease: lease
        ? { phase: lease.phase, state: lease.state, epoch: lease.epoch, holder: lease.holder, since: toTimestamp(Date.parse(lease.since)) }
        : undefined,
      nextPhase: report?.plan.next ?? lease?.next?.phase ?? [],
      switch: switchOf(node, snapshot.atMs),
      resident: (report?.resident ?? []).map((model) => ({ group: model.group, model: model.model, vramMb: model.vramMb ?? undefined })),
      groups: report
        ? GROUPS.filter((group) => report.groups[group]).map((group) => {
            const g = report.groups[group];
            return { group, secPerJob: g.mean, spreadSec: g.spread, concurrency: g.concurrency, samples: g.samples };
          })
        : [],
      switchSec: report?.switchSec.mean ?? 0,
      reportedAt: report ? toTimestamp(Date.parse(report.at)) : undefined,
      policy: report?.policy ?? '',
    };
  });
}
