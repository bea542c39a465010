import { Logger } from '@nestjs/common';
import {
  ErrorCode,
  IntroEvalError,
  isFinal,
  messageId,
  NEXT_STAGE,
  STAGE_SUBJECT,
  Subjects,
  type JobRecord,
  type Provenance,
  type Stage,
} from '@introeval/contracts';
import type { JobStore } from '@introeval/storage';
import { fallbackNotice, waitingNotice } from './job-notices.js';

/** What a stage may write into the job record. */
export type StageOutput = Partial<
  Pick<JobRecord, 'media' | 'transcript' | 'profile' | 'metrics' | 'scores' | 'feedback'>
> & { provenance?: Partial<Provenance> };

/** How one attempt at a stage runs. */
export interface StageRunOptions {
  /**
   * The GPU lease epoch the message was pulled under (`JetStreamContext.epoch`); null or absent for a stage not gated
   * on the lease. Recorded as `stages[stage].leaseEpoch`.
   */
  epoch?: number | null;
}

/** Anything that publishes JSON to a subject (the JetStream publisher). */
export interface MessagePublisher {
  /** `msgId` de-duplicates within the stream's window; `once` lets the server store one message per subject, ever. */
  publish(subject: string, payload: object, options?: { msgId?: string; once?: boolean }): Promise<unknown>;
}

export interface JobFailure {
  stage: Stage;
  jobId: string | null;
  code: ErrorCode;
  message: string;
}

/** What a student reads when a stage gave up: the engine's own words stay in `errorDetail` and the logs. */
export const EXHAUSTED_MESSAGE =
  'We could not finish evaluating your submission after several attempts, and the lab staff have been notified. ' +
  'Please submit it again later.';

/**
 * Moves a job through one stage exactly once. A stage may be delivered more than once (a worker killed after its
 * work but before its ack, a redelivery): the record says whether the stage already finished, and if so the stage
 * only forwards the job again instead of redoing the work or writing a second result. Forwards are de-duplicated by
 * Nats-Msg-Id; the completion event is stored once per job by the server.
 */
export class JobLifecycle {
  private readonly logger = new Logger(JobLifecycle.name);

  constructor(
    private readonly jobs: JobStore,
    private readonly publisher: MessagePublisher,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  /**
   * Runs `work` for the job's `stage` unless the job ended or the stage already finished, and records the output.
   * When the work fails because its engine cannot be reached (ENGINE_UNAVAILABLE, transient: the transport retries
   * it), the record says so in `notice` (and the engine's words in `errorDetail`) until the stage succeeds.
   */
  async runStage(
    stage: Stage,
    jobId: string,
    work: (record: JobRecord) => Promise<StageOutput>,
    options: StageRunOptions = {},
  ): Promise<void> {
    const leaseEpoch = options.epoch ?? null;
    const started = await this.jobs.mutate(jobId, (current) => {
      if (isFinal(current) || current.stages[stage]?.finishedAt) return null;
      const timing = current.stages[stage] ?? { startedAt: null, finishedAt: null, attempts: 0 };
      current.stages[stage] = {
        ...timing,
        startedAt: this.clock().toISOString(),
        attempts: timing.attempts + 1,
        leaseEpoch,
      };
      current.status = 'processing';
      current.stage = stage;
      return current;
    });
    if (started.status === 'failed') {
      this.logger.warn(`job ${jobId} already failed; ignoring its ${stage} message`);
      return;
    }
    if (started.status === 'completed' || started.stages[stage]?.finishedAt) {
      await this.forward(started, stage);
      return;
    }

    let output: StageOutput;
    try {
      output = await work(started);
    } catch (error) {
      await this.noteEngineUnavailable(stage, jobId, error);
      throw error;
    }

    const finished = await this.jobs.mutate(jobId, (current) => {
      if (isFinal(current) || current.stages[stage]?.finishedAt) return null;
      const { provenance, ...fields } = output;
      Object.assign(current, fields);
      if (provenance) current.provenance = { ...current.provenance, ...provenance };
      // The stage got its answer: no longer waiting. What stays worth saying is which parts a fallback produced.
      current.notice = fallbackNotice(current.provenance);
      current.errorDetail = null;
      const now = this.clock().toISOString();
      current.stages[stage] = { ...current.stages[stage]!, finishedAt: now, leaseEpoch };
      const next = NEXT_STAGE[stage];
      if (next) {
        current.stage = next;
        current.status = 'queued';
      } else {
        current.status = 'completed';
        current.completedAt = now;
      }
      return current;
    });
    if (finished.status !== 'failed') await this.forward(finished, stage);
  }

  /**
   * Makes an unreachable engine visible in the record while the transport retries the stage. Best effort: failing
   * to write the notice must not hide the engine's error, which decides the retry.
   */
  private async noteEngineUnavailable(stage: Stage, jobId: string, error: unknown): Promise<void> {
    if (!(error instanceof IntroEvalError) || error.code !== ErrorCode.EngineUnavailable) return;
    try {
      await this.jobs.mutate(jobId, (current) => {
        if (isFinal(current) || current.stages[stage]?.finishedAt) return null;
        current.notice = waitingNotice(stage);
        current.errorDetail = error.message;
        return current;
      });
    } catch (writeError) {
      this.logger.warn(`job ${jobId}: could not record that its ${stage} engine is unavailable: ${(writeError as Error).message}`);
    }
  }

  /** Hands a job whose `stage` is done to the next stage, or announces its completion. Safe to repeat. */
  private async forward(record: JobRecord, stage: Stage): Promise<void> {
    const next = NEXT_STAGE[stage];
    if (next) {
      const subject = STAGE_SUBJECT[next];
      await this.publisher.publish(subject, { jobId: record.id }, { msgId: messageId(record.id, subject) });
    } else {
      await this.publisher.publish(Subjects.completed(record.id), { jobId: record.id }, { once: true });
    }
  }

  /**
   * Marks a job failed with a code and a message, once: a completed job stays completed, the first failure wins, and
   * a late report about a stage that has since finished is ignored. Announces the failure on the events stream.
   * Throws when the record cannot be written, so the caller can report the failure again later.
   */
  async fail(failure: JobFailure): Promise<void> {
    if (!failure.jobId) return;
    const jobId = failure.jobId;
    const exhausted = failure.code === ErrorCode.StageExhausted;
    const record = await this.jobs.get(jobId);
    if (!record) {
      this.logger.error(`cannot record ${failure.code} for job ${jobId}: no such job (${failure.message})`);
      return;
    }
    const stored = await this.jobs.mutate(jobId, (current) => {
      if (isFinal(current) || current.stages[failure.stage]?.finishedAt) return null;
      current.status = 'failed';
      current.stage = failure.stage;
      current.error = { code: failure.code, message: exhausted ? EXHAUSTED_MESSAGE : failure.message };
      current.errorDetail = failure.message;
      // A failed job waits for nothing: the error says what happened.
      current.notice = null;
      current.completedAt = this.clock().toISOString();
      return current;
    });
    if (stored.status === 'failed') {
      // Published on every report, not only the first: a report whose publish failed is repeated by the transport.
      await this.publisher.publish(Subjects.failed(jobId), { jobId }, { once: true });
    } else {
      this.logger.warn(`ignored a late ${failure.code} report for job ${jobId}: its ${failure.stage} stage finished`);
    }
  }
}
