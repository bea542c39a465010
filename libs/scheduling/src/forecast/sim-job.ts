import type { Stage } from '@introeval/contracts';

/** One stage of one job in a replay: when it could start, when it did, where, and its place among the starts. */
export interface Visit {
  readyAtSec: number;
  startSec: number | null;
  endSec: number | null;
  node: string | null;
  /** How many jobs started this stage before it in the replay (not counting those running at the start); null: running then. */
  seq: number | null;
}

/** A job as a replay moves it through the stage table. */
export interface SimJob {
  readonly id: string;
  /** The stage it is in; null once completed. */
  stage: Stage | null;
  /** Its place in its stage's queue (lower is taken first). */
  order: number;
  queuedAtSec: number;
  /** The stage it was running in when the replay began; null if it was waiting. */
  readonly runningAtStart: Stage | null;
  readonly visits: Map<Stage, Visit>;
  doneAtSec: number | null;
}
