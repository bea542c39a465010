import type { JsMsg } from '@nats-io/jetstream';
import type { Logger } from '@nestjs/common';
import type { MessageHandler } from '@nestjs/microservices';
import { isObservable, lastValueFrom } from 'rxjs';
import { ErrorCode, Streams } from '@introeval/contracts';
import { extractTraceContext, inSpan } from '@introeval/telemetry';
import type { DeadLetterPublisher } from './dead-letter.publisher.js';
import type { FailureReporter } from './failure.reporter.js';
import { JetStreamContext } from './jetstream.context.js';
import type { StageConsumerOptions, StageFailure } from './jetstream.options.js';
import { decodePayload } from './payload.decoder.js';
import { errorMessage, nextStep } from './retry.policy.js';

/** Runs one stage's handler for one message and settles the message: ack, nak with backoff, or term. */
export class StageProcessor {
  private warnedAboutFilter = false;

  constructor(
    private readonly consumer: StageConsumerOptions,
    private readonly handler: MessageHandler,
    private readonly backoffMs: number[],
    private readonly failures: FailureReporter,
    private readonly deadLetters: DeadLetterPublisher,
    private readonly logger: Logger,
  ) {}

  async process(msg: JsMsg): Promise<void> {
    const decoded = await decodePayload(msg.data, this.consumer.payload);
    if (!decoded.ok) {
      // Another delivery cannot make a malformed message valid: end it now.
      await this.failures.report(this.failure(msg, decoded.jobId, ErrorCode.InvalidInput, decoded.reason));
      this.settle(msg, 'term', () => msg.term());
      return;
    }
    try {
      await this.run(msg, decoded.value, decoded.jobId);
    } catch (error) {
      await this.handleError(msg, decoded.jobId, error);
      return;
    }
    try {
      // Confirmed by the server before the stage counts as done; a lost ack means one harmless redelivery.
      await msg.ackAck();
    } catch (error) {
      this.logger.warn(
        `${msg.subject} job=${decoded.jobId ?? '-'} deliveries=${msg.info.deliveryCount}: ack not confirmed ` +
          `(${errorMessage(error)}); the message will be redelivered`,
      );
    }
  }

  private async run(msg: JsMsg, payload: object, jobId: string | null): Promise<void> {
    const parent = extractTraceContext((key) => msg.headers?.get(key) || undefined);
    await inSpan(`process ${msg.subject}`, parent, async (span) => {
      span.setAttributes({
        'messaging.system': 'nats',
        'messaging.destination.name': msg.subject,
        'messaging.nats.delivery_count': msg.info.deliveryCount,
        'introeval.stage': this.consumer.stage,
        ...(jobId ? { 'introeval.job_id': jobId } : {}),
      });
      // Long engine calls outlive ack_wait; without this the server would hand the job to a second worker.
      const keepAlive = setInterval(() => this.settle(msg, 'working', () => msg.working()), this.consumer.ackWaitMs / 3);
      try {
        const result: unknown = await this.handler(payload, new JetStreamContext(msg, this.consumer.stage));
        if (isObservable(result)) await lastValueFrom(result, { defaultValue: undefined });
      } finally {
        clearInterval(keepAlive);
      }
    });
  }

  private async handleError(msg: JsMsg, jobId: string | null, error: unknown): Promise<void> {
    this.warnIfFilterMissing(error);
    const deliveries = msg.info.deliveryCount;
    const step = nextStep(error, deliveries, this.consumer.maxDeliver, this.backoffMs);
    switch (step.kind) {
      case 'fail':
        await this.failures.report(this.failure(msg, jobId, step.code, step.message));
        this.settle(msg, 'term', () => msg.term());
        return;
      case 'retry':
        this.logger.warn(
          `${msg.subject} job=${jobId ?? '-'} deliveries=${deliveries}/${this.consumer.maxDeliver} failed, ` +
            `retrying in ${step.delayMs} ms: ${step.message}`,
        );
        this.settle(msg, 'nak', () => msg.nak(step.delayMs));
        return;
      case 'exhausted':
        await this.deadLetter(msg, step.message);
        await this.failures.report(this.failure(msg, jobId, step.code, step.message));
        this.settle(msg, 'term', () => msg.term());
        return;
    }
  }

  private async deadLetter(msg: JsMsg, error: string): Promise<void> {
    try {
      await this.deadLetters.publish({
        stage: this.consumer.stage,
        stream: msg.info.stream || Streams.work,
        streamSequence: msg.seq,
        subject: msg.subject,
        data: msg.data,
        headers: msg.headers,
        error,
        deliveries: msg.info.deliveryCount,
      });
    } catch (publishError) {
      this.logger.error(`${msg.subject} seq=${msg.seq}: dead letter not stored: ${errorMessage(publishError)}`);
    }
  }

  private failure(msg: JsMsg, jobId: string | null, code: ErrorCode, message: string): StageFailure {
    const { stage } = this.consumer;
    return { stage, subject: msg.subject, jobId, code, message, final: true, deliveries: msg.info.deliveryCount };
  }

  /** Acks are fire-and-forget writes; on a closed connection they throw, and the server redelivers anyway. */
  private settle(msg: JsMsg, what: string, send: () => void): void {
    try {
      send();
    } catch (error) {
      this.logger.warn(`${msg.subject} seq=${msg.seq}: ${what} not sent: ${errorMessage(error)}`);
    }
  }

  private warnIfFilterMissing(error: unknown): void {
    const generic = !(error instanceof Error) && typeof error === 'object' && error !== null && 'status' in error;
    if (!generic || this.warnedAboutFilter) return;
    this.warnedAboutFilter = true;
    this.logger.warn(
      'handler errors arrive as Nest\'s generic RPC error, so every failure is retried as transient: ' +
        'register JetStreamExceptionFilter (app.useGlobalFilters(new JetStreamExceptionFilter()))',
    );
  }
}
