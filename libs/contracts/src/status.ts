import type { SubmissionResult } from './result.js';
import type { Group, Stage } from './stage-table.js';

/**
 * What a job is waiting for, by code (the status API, the HTTP API and the CLI carry the same codes):
 * - `processing`: a worker is on it now;
 * - `queued`: behind `ahead` jobs in its stage's queue;
 * - `phase`: the GPU on `node` runs another phase; the job waits for it to switch to `phase`;
 * - `switching`: that node is switching to `phase` now (draining or releasing the phase before);
 * - `loading`: the node is loading the models of `phase`;
 * - `engine-unreachable`: its stage's engine is unreachable and the stage is being retried (the notice says more);
 * - `no-worker`: no worker is consuming its stage.
 */
export const WAITING_FOR_CODES = ['processing', 'queued', 'phase', 'switching', 'loading', 'engine-unreachable', 'no-worker'] as const;
export type WaitingForCode = (typeof WAITING_FOR_CODES)[number];

export interface WaitingFor {
  code: WaitingForCode;
  /** The sentence a student reads. */
  message: string;
  node: string | null;
  phase: Group[];
  /** For `queued`: jobs ahead of this one in its stage. */
  ahead: number;
}

export interface StagePosition {
  stage: Stage;
  /** 0: being processed in this stage now; 1: next; N: N - 1 jobs are taken before it. */
  position: number;
  /** Jobs waiting in this stage's queue now. */
  queued: number;
  current: boolean;
}

export interface Eta {
  /** ISO 8601. */
  completeAt: string;
  low: string;
  high: string;
  /** Seconds from `forecastAt` to `completeAt`. */
  remainingSec: number;
  /** What the forecast assumed, in words. */
  basis: string;
  forecastAt: string;
}

/**
 * A job as `GET /api/submissions/:id`, its event stream and `introeval watch` show it: the result contract and,
 * while it is unfinished, where it stands (empty / null once final).
 */
export interface SubmissionStatus extends SubmissionResult {
  position: StagePosition[];
  waitingFor: WaitingFor | null;
  eta: Eta | null;
}

/** A job's status with no place in line: a finished job's, or one shown while the status service is away. */
export function withoutPlace(result: SubmissionResult): SubmissionStatus {
  return { ...result, position: [], waitingFor: null, eta: null };
}
