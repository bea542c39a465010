import type { Group, Stage } from '@introeval/contracts';

/**
 * What the forecast replays: a snapshot of the system as the status service reads it (job records, the work stream,
 * stage workers' heartbeats, lease records and the schedulers' reports). All times are seconds since the epoch.
 */
export interface ForecastInput {
  nowSec: number;
  /** Every unfinished job, in the stage it is in now. */
  jobs: ForecastJob[];
  /**
   * Each stage as its workers measured it. For a stage gated on a GPU node's lease this is only used when no node
   * serves its group (then the stage runs ungated, as on a machine without GPU nodes).
   */
  stages: Record<Stage, StageService>;
  /** The GPU nodes; empty on a machine without them. Gated stages' work is shared by every node that grants it. */
  nodes: ForecastNode[];
  /** The scheduler's policy, replayed per node exactly as the scheduler runs it. */
  policy: ForecastPolicy;
}

export interface ForecastJob {
  id: string;
  stage: Stage;
  /** `waiting`: queued in its stage; `running`: taken by a worker at `startedAtSec`. */
  state: 'waiting' | 'running';
  /** Place in its stage's queue (the work stream's sequence number): lower is taken first. */
  order: number;
  /** When it entered its stage's queue. */
  queuedAtSec: number;
  /** When its current stage started; null while waiting. */
  startedAtSec: number | null;
  /** The node running it, for a running job of a gated stage (when known). */
  node?: string | null;
}

/**
 * How long a stage (or a group's engine) takes per job, as measured.
 * - A GPU group (ForecastNode.groups): `secPerJob` is throughput, busy seconds per finished job with the engine
 *   serving up to `concurrency` at once (the scheduler's measurement), so a batching gain shows as a shorter time.
 * - An ungated stage (ForecastInput.stages): `secPerJob` is one job's time in one worker slot (the workers'
 *   measurement); the slots are independent, so the stage finishes `concurrency / secPerJob` jobs per second.
 */
export interface ServiceTime {
  secPerJob: number;
  /** One standard deviation of the measurements, seconds (0 when unmeasured). */
  spreadSec: number;
  /** Jobs served at once: the engine's concurrency, or for an ungated stage its live workers' slots together. */
  concurrency: number;
  /** How many measurements `secPerJob` rests on (0: the configured estimate). */
  samples: number;
}

export interface StageService extends ServiceTime {
  /** Live workers of the stage (heard from within the heartbeat TTL). Zero: nothing will take its jobs. */
  workers: number;
}

export interface ForecastNode {
  name: string;
  budgetMb: number;
  lease: {
    phase: Group[];
    state: 'idle' | 'loading' | 'granted' | 'draining' | 'releasing';
    sinceSec: number;
    /** The phase a switch under way is heading for. */
    next: Group[] | null;
    quota: number | null;
    /** The grant's per-group concurrency (LeaseRecord.concurrency); absent: each group's own `concurrency`. */
    concurrency?: Partial<Record<Group, number>> | null;
    /** The quota and concurrency of the grant a switch under way is heading for (LeaseRecord.next). */
    nextQuota?: number | null;
    nextConcurrency?: Partial<Record<Group, number>> | null;
  };
  /**
   * Measured seconds per phase switch after its drain: release + load (the scheduler's `switchSec`). The drain is
   * not in it: the replay models it from the jobs still running on the node.
   */
  switchSec: number;
  switchSpreadSec: number;
  /**
   * `gainAtMax`: the engine's throughput at its concurrency relative to one job alone (1 when unknown: concurrency
   * buys nothing). With it a job alone takes `secPerJob x gainAtMax` and a full engine one job per `secPerJob`.
   */
  groups: Record<Group, ServiceTime & { vramMb: number; gainAtMax?: number }>;
}

export interface ForecastPolicy {
  name: 'adaptive' | 'strict-batch' | 'fcfs-swap' | 'one-at-a-time';
  maxWaitSec: number;
  lingerSec: number;
}

/** One job's forecast. */
export interface JobForecast {
  completeAtSec: number;
  /** The range from the spread of the measured service and switch times (fast and slow replays). */
  lowSec: number;
  highSec: number;
  /** Every stage still ahead of the job, the current one first. */
  stages: StageForecast[];
  /**
   * Set when the job's next start waits for a GPU node to switch phase: the node, the phase it will grant, and when
   * the replay has that switch start.
   */
  switchAhead: { node: string; phase: Group[]; atSec: number } | null;
  /**
   * The stage the replay could not get the job through (no live worker of an ungated stage, or no node ever granting
   * its group); then every time above is Infinity. Null when the replay completes the job.
   */
  stalledAt: Stage | null;
}

export interface StageForecast {
  stage: Stage;
  /** 0: running in this stage now; N >= 1: N - 1 jobs are taken before it in this stage (in the replay's order). */
  position: number;
  startSec: number;
  endSec: number;
  /** The GPU node the replay runs it on; null for an ungated stage. */
  node: string | null;
}

/** What the replay plans for one node. */
export interface NodePlan {
  /**
   * The switches the replay makes, in order (the first is the scheduler's plan): when each starts (its drain; for a
   * switch under way at `nowSec`, when the lease entered its state), the phase, and when the replay grants it.
   */
  switches: { atSec: number; phase: Group[]; grantAtSec: number }[];
}

export interface Forecast {
  atSec: number;
  jobs: Map<string, JobForecast>;
  nodes: Map<string, NodePlan>;
  /** In words, what the replay assumed (policy, nodes, measured times), for every ETA's `basis`. */
  basis: string;
}

/** The replay: `forecast(input)` in ./forecast.ts (deterministic, no I/O). */
export type ForecastFn = (input: ForecastInput) => Forecast;
