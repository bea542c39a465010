import { GROUP_STAGE, perGroup, perStage, STAGES, type Stage } from '@introeval/contracts';
import type { SchedulerReport } from '@introeval/lease';
import type { StageWorkerHeartbeat } from '@introeval/messaging';
import type { ForecastInput, ForecastJob, ForecastNode, ForecastPolicy, StageService } from '@introeval/scheduling';
import type { NodeState } from '../adapters/system.reader.js';
import type { QueuedJob } from './snapshot.types.js';

/**
 * Seconds per job assumed for a stage before anything is measured (samples 0), on the embedded CPU engines: the media
 * checks are quick, pocketsphinx takes about a fifth of a clip's length on several cores, the rules engines are quick.
 * The first measured job replaces them.
 */
export const ESTIMATED_SEC_PER_JOB: Readonly<Record<Stage, number>> = { upload: 2, transcribe: 15, extract: 2, rate: 2 };
/** Seconds per phase switch assumed for a node whose scheduler has not reported yet. */
export const ESTIMATED_SWITCH_SEC = 10;
/** The scheduler's defaults, for a forecast before any scheduler has reported its policy. */
export const DEFAULT_POLICY: ForecastPolicy = { name: 'adaptive', maxWaitSec: 120, lingerSec: 2 };

const POLICIES: readonly ForecastPolicy['name'][] = ['adaptive', 'strict-batch', 'fcfs-swap', 'one-at-a-time'];

/** A stage's workers together: their slots, and their measurements weighted by how many jobs each rests on. */
export function stageService(stage: Stage, heartbeats: StageWorkerHeartbeat[]): StageService {
  const mine = heartbeats.filter((h) => h.stage === stage);
  const samples = mine.reduce((sum, h) => sum + h.serviceTime.samples, 0);
  const weighted = (pick: (h: StageWorkerHeartbeat) => number) =>
    mine.reduce((sum, h) => sum + pick(h) * h.serviceTime.samples, 0) / samples;
  return {
    workers: mine.length,
    concurrency: mine.reduce((sum, h) => sum + h.concurrency, 0),
    secPerJob: samples > 0 ? weighted((h) => h.serviceTime.mean) : ESTIMATED_SEC_PER_JOB[stage],
    spreadSec: samples > 0 ? weighted((h) => h.serviceTime.spread) : 0,
    samples,
  };
}

function forecastNode(node: NodeState, nowSec: number): ForecastNode | null {
  const { lease, report } = node;
  if (!lease) return null;
  const measured = (report: SchedulerReport | null) =>
    perGroup((group) => {
      const g = report?.groups[group];
      const fallback = ESTIMATED_SEC_PER_JOB[GROUP_STAGE[group]];
      return g
        ? { secPerJob: g.mean > 0 ? g.mean : fallback, spreadSec: g.spread, concurrency: g.concurrency, samples: g.samples, vramMb: g.vramMb, gainAtMax: g.gainAtMax ?? 1 }
        : { secPerJob: fallback, spreadSec: 0, concurrency: 1, samples: 0, vramMb: 0 };
    });
  return {
    name: node.name,
    budgetMb: report?.budgetMb ?? 0,
    lease: {
      phase: lease.phase,
      state: lease.state,
      sinceSec: Date.parse(lease.since) / 1000 || nowSec,
      next: lease.next?.phase ?? null,
      quota: lease.quota ?? null,
    },
    switchSec: report && report.switchSec.samples > 0 ? report.switchSec.mean : ESTIMATED_SWITCH_SEC,
    switchSpreadSec: report?.switchSec.spread ?? 0,
    groups: measured(report),
  };
}

function policyOf(nodes: NodeState[]): ForecastPolicy {
  const report = nodes.find((node) => node.report)?.report;
  if (!report) return DEFAULT_POLICY;
  const name = POLICIES.find((policy) => policy === report.policy) ?? DEFAULT_POLICY.name;
  return { name, maxWaitSec: report.policySettings.maxWaitSec, lingerSec: report.policySettings.lingerSec };
}

/** A job's id in the forecast: its own, or a stand-in for a message that names none (it still takes a turn). */
export const forecastId = (job: QueuedJob): string => job.jobId ?? `unreadable-${job.seq}`;

/** What the forecast replays, from one snapshot's parts. */
export function forecastInput(
  queues: Record<Stage, { waiting: QueuedJob[]; inFlight: QueuedJob[] }>,
  nodes: NodeState[],
  heartbeats: StageWorkerHeartbeat[],
  nowMs: number,
): ForecastInput {
  const nowSec = nowMs / 1000;
  const jobs: ForecastJob[] = STAGES.flatMap((stage) => [
    ...queues[stage].inFlight.map((job) => ({
      id: forecastId(job),
      stage,
      state: 'running' as const,
      order: job.seq,
      queuedAtSec: job.queuedAtMs / 1000,
      startedAtSec: (job.startedAtMs ?? job.queuedAtMs) / 1000,
      node: null,
    })),
    ...queues[stage].waiting.map((job) => ({
      id: forecastId(job),
      stage,
      state: 'waiting' as const,
      order: job.seq,
      queuedAtSec: job.queuedAtMs / 1000,
      startedAtSec: null,
    })),
  ]);
  return {
    nowSec,
    jobs,
    stages: perStage((stage) => stageService(stage, heartbeats)),
    // A node without a readable lease cannot be forecast: its groups' stages then run as if it were not there.
    nodes: nodes.flatMap((node) => forecastNode(node, nowSec) ?? []),
    policy: policyOf(nodes),
  };
}
