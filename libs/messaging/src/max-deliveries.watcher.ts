import { JetStreamApiCodes, JetStreamApiError, type JetStreamManager, type StoredMsg } from '@nats-io/jetstream';
import type { Msg, NatsConnection, Subscription } from '@nats-io/transport-node';
import type { Logger } from '@nestjs/common';
import { isJobErrorCode, JobErrorCode, Streams, type Stage } from '@introeval/contracts';
import { DeadLetterHeaders, type DeadLetterPublisher, type StoredDeadLetter } from './dead-letter.publisher.js';
import type { FailureReporter, ReportRetry } from './failure.reporter.js';
import { readJobId } from './payload.decoder.js';
import { errorMessage } from './retry.policy.js';

/** nats-server 2.9 answers a delete of a missing sequence with 10057 ("no message found"). */
const NOT_FOUND_ON_DELETE: number[] = [JetStreamApiCodes.NoMessageFound, 10057];

const DEFAULT_RETRY: ReportRetry = { attempts: 3, delayMs: 1000 };

interface Verdict {
  code: JobErrorCode;
  message: string;
}

/** The stage whose advisories are watched, and where the failures they announce go. */
export interface MaxDeliveriesWatcherOptions {
  /** Subscribes to the stage's max-deliveries advisory (core NATS, in a queue group shared by all replicas). */
  nc: NatsConnection;
  /** Reads the given-up message from the work stream (and an earlier dead letter), then deletes it. */
  jsm: JetStreamManager;
  stage: Stage;
  /** Keeps a copy of the given-up message; a duplicate tells that a worker stored its verdict there first. */
  deadLetters: DeadLetterPublisher;
  /** Reports the job as failed (the app's onFailure). */
  failures: FailureReporter;
  logger: Logger;
  /** How a throwing onFailure is retried before the message is left in the stream. Default 3 attempts, 1 s apart. */
  retry?: ReportRetry;
}

interface MaxDeliveriesAdvisory {
  stream: string;
  consumer: string;
  stream_seq: number;
  deliveries: number;
}

/**
 * Gives up on messages whose worker died on every delivery (or gave up on its last delivery but could not record
 * the failure). The server then just stops delivering them, leaves them in the work-queue stream and publishes an
 * advisory: this turns that advisory into a dead letter, a failed job and a deleted work message. The server sends
 * it once a pull request is waiting on the consumer. A failure that cannot be recorded (onFailure throws on every
 * attempt) leaves the message in the stream, with an error log.
 */
export class MaxDeliveriesWatcher {
  private subscription: Subscription | null = null;
  private readonly tasks = new Set<Promise<void>>();

  private readonly nc: NatsConnection;
  private readonly jsm: JetStreamManager;
  private readonly stage: Stage;
  private readonly deadLetters: DeadLetterPublisher;
  private readonly failures: FailureReporter;
  private readonly logger: Logger;
  private readonly retry: ReportRetry;

  constructor(options: MaxDeliveriesWatcherOptions) {
    this.nc = options.nc;
    this.jsm = options.jsm;
    this.stage = options.stage;
    this.deadLetters = options.deadLetters;
    this.failures = options.failures;
    this.logger = options.logger;
    this.retry = options.retry ?? DEFAULT_RETRY;
  }

  get subject(): string {
    return `$JS.EVENT.ADVISORY.CONSUMER.MAX_DELIVERIES.${Streams.work}.${this.stage}`;
  }

  start(): void {
    // A queue group hands each advisory to one replica; the dead letter's message id covers the rare double.
    this.subscription = this.nc.subscribe(this.subject, {
      queue: `introeval.max-deliveries.${this.stage}`,
      callback: (error, msg) => {
        if (error) {
          this.logger.warn(`advisory subscription ${this.subject}: ${errorMessage(error)}`);
          return;
        }
        this.track(msg);
      },
    });
  }

  async stop(): Promise<void> {
    this.subscription?.unsubscribe();
    this.subscription = null;
    await Promise.allSettled([...this.tasks]);
  }

  private track(msg: Msg): void {
    const task = this.handle(msg)
      .catch((error: unknown) => {
        this.logger.error(`max-deliveries advisory for stage ${this.stage} not handled: ${errorMessage(error)}`);
      })
      .finally(() => this.tasks.delete(task));
    this.tasks.add(task);
  }

  private async handle(msg: Msg): Promise<void> {
    const advisory = msg.json<MaxDeliveriesAdvisory>();
    const stored = await this.jsm.streams.getMessage(advisory.stream, { seq: advisory.stream_seq });
    if (!stored) return; // another replica has already dealt with it
    const jobId = jobIdOf(stored);
    let verdict: Verdict = {
      code: JobErrorCode.StageExhausted,
      message:
        `worker stopped responding: delivered ${advisory.deliveries} times without an ack ` +
        '(crashed, killed or stuck past ack_wait)',
    };
    const letter = await this.deadLetter(stored, advisory, verdict);
    // A worker that gave up on it but could not record the failure left its verdict in the dead letter.
    if (letter?.duplicate) verdict = (await this.earlierVerdict(letter.seq, stored)) ?? verdict;
    const recorded = await this.failures.report(
      {
        stage: this.stage,
        subject: stored.subject,
        jobId,
        code: verdict.code,
        message: verdict.message,
        final: true,
        deliveries: advisory.deliveries,
      },
      this.retry,
    );
    if (!recorded) {
      this.logger.error(
        `${stored.subject} job=${jobId ?? '-'} seq=${stored.seq}: onFailure threw on all ${this.retry.attempts} ` +
          `attempt(s): the job may not be marked failed; the message stays in stream ${advisory.stream} at seq ` +
          `${stored.seq} and will not be delivered again: fail the job and delete the message by hand`,
      );
      return;
    }
    // Without a dead-letter copy the work message is the only record left: keep it for a human.
    if (letter) await this.remove(advisory);
  }

  private async deadLetter(
    stored: StoredMsg,
    advisory: MaxDeliveriesAdvisory,
    verdict: Verdict,
  ): Promise<StoredDeadLetter | null> {
    try {
      return await this.deadLetters.publish({
        stage: this.stage,
        stream: advisory.stream,
        streamSequence: stored.seq,
        subject: stored.subject,
        data: stored.data,
        headers: stored.header,
        error: verdict.message,
        code: verdict.code,
        deliveries: advisory.deliveries,
      });
    } catch (publishError) {
      this.logger.error(`${stored.subject} seq=${stored.seq}: dead letter not stored: ${errorMessage(publishError)}`);
      return null;
    }
  }

  /** The code and error of the dead letter stored earlier for this message, when it can be read. */
  private async earlierVerdict(letterSeq: number, stored: StoredMsg): Promise<Verdict | null> {
    try {
      const letter = await this.jsm.streams.getMessage(Streams.deadLetters, { seq: letterSeq });
      if (letter?.header.get(DeadLetterHeaders.streamSequence) !== String(stored.seq)) return null;
      const code = letter.header.get(DeadLetterHeaders.code);
      const message = letter.header.get(DeadLetterHeaders.error);
      return isJobErrorCode(code) && message ? { code, message } : null;
    } catch {
      return null;
    }
  }

  private async remove(advisory: MaxDeliveriesAdvisory): Promise<void> {
    try {
      await this.jsm.streams.deleteMessage(advisory.stream, advisory.stream_seq);
    } catch (error) {
      if (error instanceof JetStreamApiError && NOT_FOUND_ON_DELETE.includes(error.code)) return;
      throw error;
    }
  }
}

function jobIdOf(stored: StoredMsg): string | null {
  try {
    return readJobId(stored.json());
  } catch {
    return null;
  }
}
