import type { JobRecord, Stage } from '@introeval/contracts';
import type { Forecast, JobForecast, StageService } from '@introeval/scheduling';
import type { QueuedMessage } from '../adapters/work-queue.reader.js';
import type { NodeState } from '../adapters/system.reader.js';

/** A queued message with what the job's record adds. */
export interface QueuedJob extends QueuedMessage {
  studentId: string | null;
  /** When the current attempt at this stage started (the record's stage timing); null while waiting or not yet known. */
  startedAtMs: number | null;
}

/** One stage, as the snapshot saw it. */
export interface StageSnapshot {
  stage: Stage;
  /** In the order they will be taken. */
  waiting: QueuedJob[];
  inFlight: QueuedJob[];
  /** Live workers (heartbeats within their TTL). */
  consumers: number;
  /** The workers' slots together, their measured time and count, as the forecast takes them. */
  service: StageService;
  deadLetters: number;
}

/**
 * The system at one moment, shared by every call and stream until the next refresh: the stage queues, the GPU nodes,
 * and one forecast over them.
 */
export interface Snapshot {
  atMs: number;
  stages: Record<Stage, StageSnapshot>;
  nodes: NodeState[];
  /** The GPU nodes each stage's live workers are bound to (none: the stage runs ungated). */
  nodesOfStage: Record<Stage, string[]>;
  forecast: Forecast;
  /**
   * The forecast of one unfinished job: the snapshot's own, or for a job the snapshot could not see in any queue
   * (its stage has just advanced and its next message is on its way) a replay with the job added behind everything
   * in its stage, made once per snapshot and job. Undefined when the forecast failed.
   */
  forecastOf(record: JobRecord): JobForecast | undefined;
}
