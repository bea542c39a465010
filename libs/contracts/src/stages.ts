import { STAGE_SUBJECT, type Stage } from './stage-table.js';

export type JobStatus = 'queued' | 'processing' | 'completed' | 'failed';

/** NATS subjects. Work subjects are consumed by one durable pull consumer each (stream WORK_STREAM). */
export const Subjects = {
  /** Each stage's work subject, by stage name (from the stage table). */
  ...STAGE_SUBJECT,
  /** A media submission is stored and waits for the upload stage's checks (the upload stage's subject). */
  submitted: STAGE_SUBJECT.upload,
  /**
   * Job lifecycle events (stream EVENTS_STREAM) on a subject per job, published at most once each: the server
   * refuses a second message on the same subject, so a job announces its outcome exactly once.
   */
  completed: (jobId: string) => `introeval.event.completed.${jobId}`,
  failed: (jobId: string) => `introeval.event.failed.${jobId}`,
  /** Wildcards for subscribers of every job's events. */
  allCompleted: 'introeval.event.completed.*',
  allFailed: 'introeval.event.failed.*',
  /** Dead letters: a copy of a message that exhausted its deliveries, per stage. */
  deadLetter: (stage: Stage) => `introeval.dlq.${stage}`,
} as const;

export const Streams = {
  work: 'INTROEVAL_WORK',
  events: 'INTROEVAL_EVENTS',
  deadLetters: 'INTROEVAL_DLQ',
} as const;

/** Message id for JetStream de-duplication: the same job entering the same subject twice is one message. */
export function messageId(jobId: string, subject: string): string {
  return `${jobId}:${subject}`;
}
