import { JetStreamApiCodes, JetStreamApiError, type JetStreamManager, type StoredMsg } from '@nats-io/jetstream';
import type { Msg, NatsConnection, Subscription } from '@nats-io/transport-node';
import type { Logger } from '@nestjs/common';
import { ErrorCode, Streams, type Stage } from '@introeval/contracts';
import type { DeadLetterPublisher } from './dead-letter.publisher.js';
import type { FailureReporter } from './failure.reporter.js';
import { readJobId } from './payload.decoder.js';
import { errorMessage } from './retry.policy.js';

/** nats-server 2.9 answers a delete of a missing sequence with 10057 ("no message found"). */
const NOT_FOUND_ON_DELETE: number[] = [JetStreamApiCodes.NoMessageFound, 10057];

interface MaxDeliveriesAdvisory {
  stream: string;
  consumer: string;
  stream_seq: number;
  deliveries: number;
}

/**
 * Gives up on messages whose worker died on every delivery. The server then just stops delivering them, leaves them
 * in the work-queue stream and publishes an advisory: this turns that advisory into a dead letter, a failed job and
 * a deleted work message. The server sends it once a pull request is waiting on the consumer.
 */
export class MaxDeliveriesWatcher {
  private subscription: Subscription | null = null;
  private readonly tasks = new Set<Promise<void>>();

  constructor(
    private readonly nc: NatsConnection,
    private readonly jsm: JetStreamManager,
    private readonly stage: Stage,
    private readonly deadLetters: DeadLetterPublisher,
    private readonly failures: FailureReporter,
    private readonly logger: Logger,
  ) {}

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
    const message =
      `worker stopped responding: delivered ${advisory.deliveries} times without an ack ` +
      '(crashed, killed or stuck past ack_wait)';
    const deadLettered = await this.deadLetter(stored, advisory, message);
    await this.failures.report({
      stage: this.stage,
      subject: stored.subject,
      jobId: jobIdOf(stored),
      code: ErrorCode.StageExhausted,
      message,
      final: true,
      deliveries: advisory.deliveries,
    });
    // Without a dead-letter copy the work message is the only record left: keep it for a human.
    if (deadLettered) await this.remove(advisory);
  }

  private async deadLetter(stored: StoredMsg, advisory: MaxDeliveriesAdvisory, error: string): Promise<boolean> {
    try {
      await this.deadLetters.publish({
        stage: this.stage,
        stream: advisory.stream,
        streamSequence: stored.seq,
        subject: stored.subject,
        data: stored.data,
        headers: stored.header,
        error,
        deliveries: advisory.deliveries,
      });
      return true;
    } catch (publishError) {
      this.logger.error(`${stored.subject} seq=${stored.seq}: dead letter not stored: ${errorMessage(publishError)}`);
      return false;
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
