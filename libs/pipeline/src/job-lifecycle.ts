import { Logger } from '@nestjs/common';
import {
  messageId,
  STAGE_SUBJECT,
  Subjects,
  type ErrorCode,
  type JobRecord,
  type Provenance,
  type Stage,
} from '@introeval/contracts';
import type { JobStore } from '@introeval/storage';

/** What a stage may write into the job record. */
export type StageOutput = Partial<
  Pick<JobRecord, 'media' | 'transcript' | 'profile' | 'metrics' | 'scores' | 'feedback'>
> & { provenance?: Partial<Provenance> };

/** Anything that publishes JSON to a subject with an optional de-duplication id (the JetStream publisher). */
export interface MessagePublisher {
  publish(subject: string, payload: object, options?: { msgId?: string }): Promise<unknown>;
}

export interface JobFailure {
  stage: Stage;
  jobId: string | null;
  code: ErrorCode | string;
  message: string;
}

const NEXT_STAGE: Record<Stage, Stage | null> = {
  upload: 'transcribe',
  transcribe: 'extract',
  extract: 'rate',
  rate: null,
};

/**
 * Moves a job through one stage exactly once. A stage may be delivered more than once (a worker killed after its
 * work but before its ack, a redelivery): the record says whether the stage already finished, and if so the stage
 * only forwards the job again (de-duplicated by Nats-Msg-Id) instead of redoing the work or writing a second result.
 */
export class JobLifecycle {
  private readonly logger = new Logger(JobLifecycle.name);

  constructor(
    private readonly jobs: JobStore,
    private readonly publisher: MessagePublisher,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  async runStage(stage: Stage, jobId: string, work: (record: JobRecord) => Promise<StageOutput>): Promise<void> {
    const record = await this.jobs.require(jobId);
    if (record.status === 'failed') {
      this.logger.warn(`job ${jobId} already failed; ignoring its ${stage} message`);
      return;
    }
    if (record.stages[stage]?.finishedAt || record.status === 'completed') {
      await this.forward(record, stage);
      return;
    }

    const started = await this.jobs.mutate(jobId, (current) => {
      const timing = current.stages[stage] ?? { startedAt: null, finishedAt: null, attempts: 0 };
      current.stages[stage] = { ...timing, startedAt: this.clock().toISOString(), attempts: timing.attempts + 1 };
      current.status = 'processing';
      current.stage = stage;
      return current;
    });

    const output = await work(started);

    const finished = await this.jobs.mutate(jobId, (current) => {
      if (current.stages[stage]?.finishedAt || current.status === 'failed') return null;
      const { provenance, ...fields } = output;
      Object.assign(current, fields);
      if (provenance) current.provenance = { ...current.provenance, ...provenance };
      const now = this.clock().toISOString();
      current.stages[stage] = { ...current.stages[stage]!, finishedAt: now };
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

  /** Hands a job whose `stage` is done to the next stage, or announces its completion. Safe to repeat. */
  private async forward(record: JobRecord, stage: Stage): Promise<void> {
    const next = NEXT_STAGE[stage];
    const subject = next ? STAGE_SUBJECT[next] : Subjects.completed;
    await this.publisher.publish(subject, { jobId: record.id }, { msgId: messageId(record.id, subject) });
  }

  /**
   * Marks a job failed with a code and a message, once: a completed job stays completed and the first failure wins.
   * Announces the failure on the events stream.
   */
  async fail(failure: JobFailure): Promise<void> {
    if (!failure.jobId) return;
    const jobId = failure.jobId;
    let changed = false;
    try {
      await this.jobs.mutate(jobId, (current) => {
        if (current.status === 'completed' || current.status === 'failed') return null;
        changed = true;
        current.status = 'failed';
        current.stage = failure.stage;
        current.error = { code: failure.code, message: failure.message };
        current.completedAt = this.clock().toISOString();
        return current;
      });
    } catch (error) {
      this.logger.error(`cannot mark job ${jobId} failed: ${(error as Error).message}`);
      return;
    }
    if (changed) {
      await this.publisher.publish(Subjects.failed, { jobId }, { msgId: messageId(jobId, Subjects.failed) });
    }
  }
}
