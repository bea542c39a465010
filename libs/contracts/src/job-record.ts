import type { Provenance, SubmissionResult, Transcript } from './result.js';
import { PROVENANCE_KEYS, STAGES, type Stage } from './stage-table.js';

/** Where a media submission's bytes live and what the upload stage learned about them. */
export interface MediaInfo {
  /** Object store name of the uploaded file. */
  object: string;
  fileName: string | null;
  contentType: string | null;
  sizeBytes: number;
  /** Set by the upload stage. */
  audioObject: string | null;
  durationSec: number | null;
}

export interface StageTiming {
  startedAt: string | null;
  finishedAt: string | null;
  attempts: number;
  /**
   * The GPU lease epoch of the latest attempt (the one that finished, once finished); null for a stage not gated on
   * the lease. Absent in records written before epochs were recorded.
   */
  leaseEpoch?: number | null;
}

/**
 * The job record kept in the KV bucket `introeval-jobs` (key: job id). It is the single source of truth for a job:
 * every stage reads its input from it and writes its output into it by compare-and-set. It holds the result contract's
 * fields (timings as raw per-stage times) plus what only the services need.
 */
export interface JobRecord extends Omit<SubmissionResult, 'timings'> {
  /**
   * What went wrong in operators' terms: the engine error behind a waiting `notice` (cleared when the stage then
   * succeeds), or the one that failed the job. `error.message` and `notice` are what the student reads.
   */
  errorDetail: string | null;
  studentId: string | null;
  source: 'media' | 'text';
  media: MediaInfo | null;
  /** W3C traceparent of the submission, so every stage joins the same trace. */
  traceparent: string | null;
  submittedAt: string;
  completedAt: string | null;
  updatedAt: string;
  stages: Partial<Record<Stage, StageTiming>>;
}

export function newJobRecord(init: {
  id: string;
  source: JobRecord['source'];
  studentId: string | null;
  media: MediaInfo | null;
  transcript: Transcript | null;
  traceparent: string | null;
  now: Date;
}): JobRecord {
  const at = init.now.toISOString();
  return {
    id: init.id,
    status: 'queued',
    stage: init.source === 'media' ? 'upload' : 'extract',
    error: null,
    notice: null,
    errorDetail: null,
    studentId: init.studentId,
    source: init.source,
    media: init.media,
    transcript: init.transcript,
    profile: null,
    metrics: null,
    scores: null,
    feedback: [],
    provenance: Object.fromEntries(PROVENANCE_KEYS.map((key) => [key, null])) as Provenance,
    traceparent: init.traceparent,
    submittedAt: at,
    completedAt: null,
    updatedAt: at,
    stages: {},
  };
}

/** A completed or failed job never changes again. */
export function isFinal(record: JobRecord): boolean {
  return record.status === 'completed' || record.status === 'failed';
}

/** The public view of a job record: the result contract. */
export function toSubmissionResult(record: JobRecord): SubmissionResult {
  const perStageMs: SubmissionResult['timings']['perStageMs'] = {};
  for (const stage of STAGES) {
    const timing = record.stages[stage];
    if (timing?.startedAt && timing.finishedAt) {
      perStageMs[stage] = Date.parse(timing.finishedAt) - Date.parse(timing.startedAt);
    }
  }
  return {
    id: record.id,
    status: record.status,
    stage: record.stage,
    error: record.error,
    // Records written before notices existed have none.
    notice: record.notice ?? null,
    transcript: record.transcript,
    profile: record.profile,
    metrics: record.metrics,
    scores: record.scores,
    feedback: record.feedback,
    provenance: record.provenance,
    timings: { submittedAt: record.submittedAt, completedAt: record.completedAt, perStageMs },
  };
}
