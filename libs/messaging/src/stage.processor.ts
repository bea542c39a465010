import type { Logger } from '@nestjs/common';
import type { MessageHandler } from '@nestjs/microservices';
import { isObservable, lastValueFrom } from 'rxjs';
import { JobErrorCode, Streams } from '@introeval/contracts';
import { extractTraceContext, inSpan } from '@introeval/telemetry';
import type { DeadLetterPublisher } from './dead-letter.publisher.js';
import type { FailureReporter } from './failure.reporter.js';
import { JetStreamContext } from './jetstream.context.js';
import type { StageConsumerOptions, StageFailure } from './jetstream.options.js';
import { decodePayload } from './payload.decoder.js';
import { backoffFor, errorMessage, nextStep } from './retry.policy.js';
import type { WorkMessage } from './work-message.js';

/** Why a handler's signal aborted. */
export type AbortCause = 'deadline' | 'shutdown';

/** One running handler: the controller behind its `ctx.signal` and why it aborted, if it did. */
class HandlerRun {
  private readonly controller = new AbortController();
  cause: AbortCause | null = null;

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  get reason(): Error {
    return this.controller.signal.reason as Error;
  }

  abort(cause: AbortCause, reason: Error): void {
    if (this.signal.aborted) return;
    this.cause = cause;
    this.controller.abort(reason);
  }
}

/** The abort reason of a handler that ran past its stage's `timeoutMs`. */
export function deadlineError(stage: string, timeoutMs: number): Error {
  const error = new Error(`stage ${stage} exceeded its time limit of ${timeoutMs / 1000} s`);
  error.name = 'TimeoutError';
  return error;
}

/** The abort reason of handlers still running when close() stops waiting for them. */
export function shutdownError(drainTimeoutMs: number): Error {
  const error = new Error(`shutting down: the handler was still running after the ${drainTimeoutMs} ms drain timeout`);
  error.name = 'AbortError';
  return error;
}

type Letter = 'none' | 'stored' | 'failed';

const DEFAULT_ABORT_GRACE_MS = 5000;

/** One stage's settings, its handler, and where its failures go. */
export interface StageProcessorOptions {
  /** The stage as declared to the transport: its deadline, ack_wait (for keep-alives), maxDeliver and payload class. */
  consumer: StageConsumerOptions;
  /** The app's `@EventPattern` handler for the stage's subject. */
  handler: MessageHandler;
  /** nak delay by attempt, as in JetStreamServerOptions. */
  backoffMs: number[];
  /** Reports a job that cannot succeed here (the app's onFailure); a message is terminated only once it returned. */
  failures: FailureReporter;
  /** Keeps a copy of a message that is given up on (malformed, or out of attempts). */
  deadLetters: DeadLetterPublisher;
  logger: Logger;
  /** After a deadline abort, how long a handler may take to settle before it is reported as ignoring its signal. */
  abortGraceMs?: number;
  /** Hears how long each acked job took, from taking its message to the confirmed ack (the stage heartbeat). */
  onServed?: (ms: number) => void;
}

/**
 * Runs one stage's handler for one message and settles the message: ack, nak with backoff, or term. A message is
 * terminated only once its failure is on record (onFailure returned, and its dead letter stored where it gets one);
 * otherwise it is nak'd so the failure is reported again.
 */
export class StageProcessor {
  private warnedAboutFilter = false;
  private readonly runs = new Set<HandlerRun>();

  private readonly consumer: StageConsumerOptions;
  private readonly handler: MessageHandler;
  private readonly backoffMs: number[];
  private readonly failures: FailureReporter;
  private readonly deadLetters: DeadLetterPublisher;
  private readonly logger: Logger;
  private readonly abortGraceMs: number;

  constructor(options: StageProcessorOptions) {
    this.consumer = options.consumer;
    this.handler = options.handler;
    this.backoffMs = options.backoffMs;
    this.failures = options.failures;
    this.deadLetters = options.deadLetters;
    this.logger = options.logger;
    this.abortGraceMs = options.abortGraceMs ?? DEFAULT_ABORT_GRACE_MS;
    this.onServed = options.onServed ?? (() => undefined);
  }

  private readonly onServed: (ms: number) => void;

  /** Handlers of this stage running now. */
  get running(): number {
    return this.runs.size;
  }

  /** Aborts the signal of every running handler (close() after its drain timeout); returns how many there were. */
  abortAll(reason: Error): number {
    for (const run of this.runs) run.abort('shutdown', reason);
    return this.runs.size;
  }

  /** `epoch`: the GPU lease epoch the message was pulled under (gated stages), handed to the handler's context. */
  async process(msg: WorkMessage, epoch: number | null = null): Promise<void> {
    const takenAt = performance.now();
    const decoded = await decodePayload(msg.data, this.consumer.payload);
    if (!decoded.ok) {
      // Another delivery cannot make a malformed message valid: keep a copy, report it, end it.
      await this.giveUp(msg, decoded.jobId, JobErrorCode.InvalidInput, decoded.reason, true);
      return;
    }
    const run = new HandlerRun();
    this.runs.add(run);
    let failed = false;
    let error: unknown;
    try {
      await this.run(msg, decoded.value, decoded.jobId, run, epoch);
    } catch (thrown) {
      failed = true;
      error = thrown;
    } finally {
      this.runs.delete(run);
    }
    // An aborted handler's outcome is never trusted: its engine may have been killed half-way.
    if (run.cause === 'shutdown') {
      this.handBack(msg, decoded.jobId, failed ? error : null);
      return;
    }
    if (run.cause === 'deadline') {
      // Transient whatever the handler made of it (a killed child can look like a permanent media error).
      if (failed && error !== run.reason) {
        const where = describe(msg, decoded.jobId);
        this.logger.warn(`${where}: after its deadline the handler threw: ${errorMessage(error)}`);
      }
      await this.handleError(msg, decoded.jobId, run.reason);
      return;
    }
    if (failed) {
      await this.handleError(msg, decoded.jobId, error);
      return;
    }
    try {
      // Confirmed by the server before the stage counts as done; a lost ack means one harmless redelivery.
      await msg.ackAck();
      // Only finished jobs measure the stage: a failed attempt says how fast the engine fails, not how fast it works.
      this.onServed(performance.now() - takenAt);
    } catch (ackError) {
      this.logger.warn(
        `${describe(msg, decoded.jobId)}: ack not confirmed (${errorMessage(ackError)}); ` +
          'the message will be redelivered',
      );
    }
  }

  private async run(
    msg: WorkMessage,
    payload: object,
    jobId: string | null,
    run: HandlerRun,
    epoch: number | null,
  ): Promise<void> {
    const parent = extractTraceContext((key) => msg.headers?.get(key) || undefined);
    await inSpan(`process ${msg.subject}`, parent, async (span) => {
      span.setAttributes({
        'messaging.system': 'nats',
        'messaging.destination.name': msg.subject,
        'messaging.nats.delivery_count': msg.info.deliveryCount,
        'introeval.stage': this.consumer.stage,
        ...(jobId ? { 'introeval.job_id': jobId } : {}),
        ...(epoch === null ? {} : { 'introeval.lease_epoch': epoch }),
      });
      // Long engine calls outlive ack_wait; without this the server would hand the job to a second worker.
      const keepAlive = setInterval(
        () => this.settle(msg, 'working', () => msg.working()),
        this.consumer.ackWaitMs / 3,
      );
      let ignoring: NodeJS.Timeout | undefined;
      const onAbort = () => {
        // An aborted handler no longer holds its message: if it never settles, the server redelivers after ack_wait.
        clearInterval(keepAlive);
        span.setAttribute('introeval.aborted', run.cause ?? 'unknown');
        if (run.cause !== 'deadline') return; // close() reports handlers that outlive a shutdown abort
        ignoring = setTimeout(() => {
          this.logger.warn(
            `${describe(msg, jobId)}: handler still running ${this.abortGraceMs} ms after its deadline aborted ` +
              'ctx.signal (does it pass the signal on?); the message will be redelivered after ack_wait',
          );
        }, this.abortGraceMs);
        ignoring.unref();
      };
      run.signal.addEventListener('abort', onAbort, { once: true });
      const { timeoutMs, stage } = this.consumer;
      const deadline = timeoutMs
        ? setTimeout(() => run.abort('deadline', deadlineError(stage, timeoutMs)), timeoutMs)
        : undefined;
      try {
        const result: unknown = await this.handler(payload, new JetStreamContext(msg, stage, run.signal, epoch));
        if (isObservable(result)) await lastValueFrom(result, { defaultValue: undefined });
      } finally {
        clearTimeout(deadline);
        clearTimeout(ignoring);
        clearInterval(keepAlive);
        run.signal.removeEventListener('abort', onAbort);
      }
    });
  }

  /** A handler aborted by shutdown: nak without delay so another worker takes the message at once. */
  private handBack(msg: WorkMessage, jobId: string | null, error: unknown): void {
    this.logger.warn(
      `${describe(msg, jobId)}: aborted by shutdown` +
        (error === null ? '' : ` (the handler then threw: ${errorMessage(error)})`) +
        ': handed back for another worker',
    );
    this.settle(msg, 'nak', () => msg.nak());
  }

  private async handleError(msg: WorkMessage, jobId: string | null, error: unknown): Promise<void> {
    this.warnIfFilterMissing(error);
    const deliveries = msg.info.deliveryCount;
    const step = nextStep(error, deliveries, this.consumer.maxDeliver, this.backoffMs);
    switch (step.kind) {
      case 'fail':
        await this.giveUp(msg, jobId, step.code, step.message, false);
        return;
      case 'retry':
        this.logger.warn(
          `${describe(msg, jobId, this.consumer.maxDeliver)} failed, retrying in ${step.delayMs} ms: ${step.message}`,
        );
        this.settle(msg, 'nak', () => msg.nak(step.delayMs));
        return;
      case 'exhausted':
        await this.giveUp(msg, jobId, step.code, step.message, true);
        return;
    }
  }

  /**
   * Ends a message that cannot succeed, once its failure is on record: reported through onFailure and, when
   * `keepCopy`, dead-lettered. Otherwise the message is nak'd with the usual backoff so the report is made again.
   */
  private async giveUp(
    msg: WorkMessage,
    jobId: string | null,
    code: JobErrorCode,
    message: string,
    keepCopy: boolean,
  ): Promise<void> {
    let letter: Letter = keepCopy ? await this.deadLetter(msg, code, message) : 'none';
    const recorded = await this.failures.report(this.failure(msg, jobId, code, message));
    if (recorded && letter !== 'failed') {
      this.settle(msg, 'term', () => msg.term());
      return;
    }
    const { maxDeliver } = this.consumer;
    const deliveries = msg.info.deliveryCount;
    const delayMs = backoffFor(deliveries, this.backoffMs);
    const why = recorded ? 'its dead letter could not be stored' : 'onFailure threw';
    if (deliveries < maxDeliver) {
      this.logger.error(
        `${describe(msg, jobId, maxDeliver)}: gave up (${code}) but ${why}: nak'd, ` +
          `so that it is reported again when it is redelivered in ${delayMs} ms`,
      );
    } else {
      // The server will not deliver it again. Once a pull request waits it publishes the max-deliveries advisory,
      // whose watcher retries the report and takes the verdict from this dead letter.
      if (letter === 'none') letter = await this.deadLetter(msg, code, message);
      this.logger.error(
        `${describe(msg, jobId, maxDeliver)}: gave up (${code}) on its last delivery but ${why}: ` +
          `the message stays in stream ${msg.info.stream || Streams.work} at seq ${msg.seq}; the server will not ` +
          'redeliver it, its max-deliveries advisory retries the report' +
          (letter === 'stored' ? '' : ' (without a dead letter, as STAGE_EXHAUSTED)'),
      );
    }
    this.settle(msg, 'nak', () => msg.nak(delayMs));
  }

  private async deadLetter(msg: WorkMessage, code: JobErrorCode, error: string): Promise<Letter> {
    try {
      await this.deadLetters.publish({
        stage: this.consumer.stage,
        stream: msg.info.stream || Streams.work,
        streamSequence: msg.seq,
        subject: msg.subject,
        data: msg.data,
        headers: msg.headers,
        error,
        code,
        deliveries: msg.info.deliveryCount,
      });
      return 'stored';
    } catch (publishError) {
      this.logger.error(`${msg.subject} seq=${msg.seq}: dead letter not stored: ${errorMessage(publishError)}`);
      return 'failed';
    }
  }

  private failure(msg: WorkMessage, jobId: string | null, code: JobErrorCode, message: string): StageFailure {
    const { stage } = this.consumer;
    return { stage, subject: msg.subject, jobId, code, message, final: true, deliveries: msg.info.deliveryCount };
  }

  /** Acks are fire-and-forget writes; on a closed connection they throw, and the server redelivers anyway. */
  private settle(msg: WorkMessage, what: string, send: () => void): void {
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

function describe(msg: WorkMessage, jobId: string | null, maxDeliver?: number): string {
  const deliveries = maxDeliver ? `${msg.info.deliveryCount}/${maxDeliver}` : `${msg.info.deliveryCount}`;
  return `${msg.subject} job=${jobId ?? '-'} seq=${msg.seq} deliveries=${deliveries}`;
}
