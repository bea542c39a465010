import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { Logger } from '@nestjs/common';
import { Server, type CustomTransportStrategy } from '@nestjs/microservices';
import { Streams } from '@introeval/contracts';
import { DeadLetterPublisher } from './dead-letter.publisher.js';
import { FailureReporter } from './failure.reporter.js';
import { resolveStageHandlers } from './handler.registry.js';
import type { JetStreamServerOptions, StageConsumerOptions } from './jetstream.options.js';
import { MaxDeliveriesWatcher } from './max-deliveries.watcher.js';
import { pullNoWait } from './no-wait-pull.js';
import { StageHeartbeat } from './stage-heartbeat.js';
import { shutdownError, StageProcessor } from './stage.processor.js';
import { StageWorker } from './stage.worker.js';
import { ensureStageConsumer } from './topology.js';

/** Identifies this transport in `@EventPattern(subject, JETSTREAM_TRANSPORT)` where an app serves several. */
export const JETSTREAM_TRANSPORT = Symbol.for('introeval.jetstream');

export type JetStreamServerStatus = 'listening' | 'draining' | 'closed';

const DEFAULT_PULL_EXPIRES_MS = 5000;
const DEFAULT_ABORT_GRACE_MS = 5000;
const DEFAULT_GATE_POLL_MS = 25;

/**
 * A Nest microservice transport over JetStream durable pull consumers, one per stage, with explicit acks: a handler
 * that returns acks its message, a permanent error terminates it, a transient one is retried with backoff until
 * maxDeliver, and a message that is given up is dead-lettered and reported through `onFailure`.
 */
export class JetStreamServer
  extends Server<Record<string, never>, JetStreamServerStatus>
  implements CustomTransportStrategy
{
  override readonly transportId = JETSTREAM_TRANSPORT;
  /** Handler errors are settled here (ack/nak/term), not left for Nest to log. */
  override readonly propagatesEventHandlerErrors = true;
  protected override readonly logger = new Logger(JetStreamServer.name);
  private workers: StageWorker[] = [];
  private watchers: MaxDeliveriesWatcher[] = [];
  private processors: StageProcessor[] = [];
  private heartbeats: StageHeartbeat[] = [];
  private closing: Promise<void> | null = null;

  constructor(private readonly options: JetStreamServerOptions) {
    super();
    validateOptions(options);
  }

  async listen(callback: (error?: unknown) => void): Promise<void> {
    try {
      await this.start();
    } catch (error) {
      callback(error);
      return;
    }
    callback();
  }

  /**
   * Stops pulling and waits up to drainTimeoutMs for running handlers; then aborts their `ctx.signal` and waits up to
   * abortGraceMs more for them to settle (their messages are nak'd, not acked). Leaves the connection to the app.
   */
  close(): Promise<void> {
    this.closing ??= this.drain();
    return this.closing;
  }

  on(): never {
    throw new Error('JetStreamServer has no events: watch the NATS connection status instead');
  }

  unwrap<T = NatsConnection>(): T {
    return this.options.connection as T;
  }

  private async start(): Promise<void> {
    const { connection: nc, consumers } = this.options;
    const handlers = resolveStageHandlers(this.messageHandlers, consumers.map((c) => c.stage));
    const jsm = await jetstreamManager(nc);
    const js = jetstream(nc);
    const deadLetters = new DeadLetterPublisher(js);
    const failures = new FailureReporter(this.options.onFailure, this.logger);
    const workers: StageWorker[] = [];
    const watchers: MaxDeliveriesWatcher[] = [];
    const processors: StageProcessor[] = [];
    const heartbeats: StageHeartbeat[] = [];
    const abortGraceMs = this.options.abortGraceMs ?? DEFAULT_ABORT_GRACE_MS;
    const retry = this.options.onFailureRetry;
    for (const consumer of consumers) {
      await ensureStageConsumer(jsm, consumer.stage, consumer);
      const heartbeat = this.options.heartbeat
        ? new StageHeartbeat({ ...this.options.heartbeat, stage: consumer.stage, logger: this.logger })
        : null;
      if (heartbeat) heartbeats.push(heartbeat);
      const processor = new StageProcessor({
        consumer,
        handler: handlers.get(consumer.stage)!,
        backoffMs: this.options.backoffMs,
        failures,
        deadLetters,
        logger: this.logger,
        abortGraceMs,
        onServed: heartbeat ? (ms) => heartbeat.served(ms) : undefined,
      });
      processors.push(processor);
      // A gated stage pulls with no-wait requests of its own (no-wait-pull.ts), never through a nats.js consumer.
      const source = consumer.gate
        ? {
            gate: consumer.gate,
            pull: (batch: number) => pullNoWait(nc, Streams.work, consumer.stage, batch),
            pollMs: consumer.gatePollMs ?? DEFAULT_GATE_POLL_MS,
          }
        : {
            consumer: await js.consumers.get(Streams.work, consumer.stage),
            expiresMs: this.options.pullExpiresMs ?? DEFAULT_PULL_EXPIRES_MS,
          };
      const worker = new StageWorker({
        name: consumer.stage,
        concurrency: consumer.concurrency,
        process: (msg, epoch) => processor.process(msg, epoch),
        logger: this.logger,
        source,
        onChange: heartbeat ? () => heartbeat.changed() : undefined,
      });
      workers.push(worker);
      heartbeat?.attach(worker);
      watchers.push(
        new MaxDeliveriesWatcher({ nc, jsm, stage: consumer.stage, deadLetters, failures, logger: this.logger, retry }),
      );
    }
    // Nothing starts until every consumer is in place, so a refused boot leaves no half-running stage behind;
    // nor after a shutdown that arrived while we were booting.
    if (this.closing) return;
    for (const watcher of watchers) watcher.start();
    await nc.flush();
    for (const worker of workers) worker.start();
    // Announced once pulling: a heartbeat says "a worker is consuming this stage".
    for (const heartbeat of heartbeats) heartbeat.start();
    this.heartbeats = heartbeats;
    this.workers = workers;
    this.watchers = watchers;
    this.processors = processors;
    this._status$.next('listening');
    this.logger.log(`serving ${consumers.map(describeConsumer).join(', ')}`);
  }

  private async drain(): Promise<void> {
    this._status$.next('draining');
    await Promise.all(this.workers.map((worker) => worker.stopPulling()));
    const settled = Promise.all([
      ...this.workers.map((worker) => worker.idle()),
      ...this.watchers.map((watcher) => watcher.stop()),
    ]);
    const { drainTimeoutMs } = this.options;
    if (!(await settlesWithin(settled, drainTimeoutMs))) {
      // Engines kill their child processes on abort: the process must not exit while those still run.
      const reason = shutdownError(drainTimeoutMs);
      const aborted = this.processors.reduce((sum, processor) => sum + processor.abortAll(reason), 0);
      const graceMs = this.options.abortGraceMs ?? DEFAULT_ABORT_GRACE_MS;
      this.logger.warn(
        `${aborted} handler(s) still running after ${drainTimeoutMs} ms: aborted them, waiting up to ${graceMs} ms ` +
          'for them to settle (their messages go back to the stream for another worker)',
      );
      if (!(await settlesWithin(settled, graceMs))) {
        const running = this.workers.reduce((sum, worker) => sum + worker.running, 0);
        this.logger.error(
          running > 0
            ? `closed with ${running} handler(s) still running ${graceMs} ms after their signal aborted (they ` +
                'ignore ctx.signal, and their child processes may outlive this one): their messages will be ' +
                'redelivered after ack_wait'
            : 'closed while a failure report (onFailure) was still running or being retried',
        );
      }
    }
    // Nothing is pulled or held any more: readers need not wait for the records to expire.
    await Promise.all(this.heartbeats.map((heartbeat) => heartbeat.stop()));
    // Acks, naks and terms are buffered writes: push them out before the app drains or closes the connection.
    if (!this.options.connection.isClosed()) await this.options.connection.flush().catch(() => undefined);
    this._status$.next('closed');
  }
}

/** True when `work` settles within `ms`. */
async function settlesWithin(work: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  try {
    return await Promise.race([work.then(() => true), timedOut]);
  } finally {
    clearTimeout(timer);
  }
}

function describeConsumer(c: StageConsumerOptions): string {
  const deadline = c.timeoutMs ? `, timeout ${c.timeoutMs} ms` : '';
  const gated = c.gate ? ', gated on the GPU lease' : '';
  return (
    `${c.stage} (concurrency ${c.concurrency}, ack_wait ${c.ackWaitMs} ms, max_deliver ${c.maxDeliver}${deadline}${gated})`
  );
}

function validateOptions(options: JetStreamServerOptions): void {
  const problems: string[] = [];
  const positiveInt = (value: number) => Number.isInteger(value) && value > 0;
  for (const c of options.consumers) {
    if (!positiveInt(c.concurrency)) problems.push(`${c.stage}: concurrency must be a positive integer`);
    if (!positiveInt(c.maxDeliver)) problems.push(`${c.stage}: maxDeliver must be a positive integer`);
    if (!(c.ackWaitMs >= 300)) problems.push(`${c.stage}: ackWaitMs must be at least 300`);
    if (c.timeoutMs !== undefined && !(Number.isFinite(c.timeoutMs) && c.timeoutMs >= 0)) {
      problems.push(`${c.stage}: timeoutMs must be a non-negative number (0: no deadline)`);
    }
  }
  if (options.consumers.length === 0) problems.push('no consumers declared');
  if (options.backoffMs.some((ms) => !(ms >= 0))) problems.push('backoffMs must be non-negative');
  if (!(options.drainTimeoutMs >= 0)) problems.push('drainTimeoutMs must be non-negative');
  if (options.abortGraceMs !== undefined && !(options.abortGraceMs >= 0)) {
    problems.push('abortGraceMs must be non-negative');
  }
  const retry = options.onFailureRetry;
  if (retry !== undefined && !(positiveInt(retry.attempts) && retry.delayMs >= 0)) {
    problems.push('onFailureRetry needs a positive integer of attempts and a non-negative delayMs');
  }
  if (options.pullExpiresMs !== undefined && !(options.pullExpiresMs >= 1000)) {
    problems.push('pullExpiresMs must be at least 1000 (a nats.js limit)');
  }
  if (problems.length > 0) throw new Error(`invalid JetStreamServer options: ${problems.join('; ')}`);
}
