import type { Consumer, ConsumerMessages, JsMsg } from '@nats-io/jetstream';
import type { Logger } from '@nestjs/common';
import { errorMessage } from './retry.policy.js';

const RETRY_PULL_MS = 1000;
/**
 * How long past its `expires` a fetch may stay open. nats.js ends a fetch through idle heartbeats, but after a
 * reconnect it resumes watching them only if its consumer check succeeds; right after a server restart that check can
 * fail, and the fetch would then wait for ever on a pull request the restarted server no longer knows.
 */
const FETCH_GRACE_MS = 5000;

/**
 * Pulls one durable consumer and keeps at most `concurrency` messages in this process. It fetches only as many
 * messages as it has free slots, so nothing waits in a client buffer while its ack_wait runs down.
 */
export class StageWorker {
  private readonly inFlight = new Set<Promise<void>>();
  private batch: ConsumerMessages | null = null;
  private stopping = false;
  private loop: Promise<void> | null = null;
  private wake: (() => void) | null = null;

  constructor(
    private readonly name: string,
    private readonly consumer: Consumer,
    private readonly concurrency: number,
    private readonly pullExpiresMs: number,
    private readonly process: (msg: JsMsg) => Promise<void>,
    private readonly logger: Logger,
    private readonly fetchGraceMs = FETCH_GRACE_MS,
  ) {}

  get running(): number {
    return this.inFlight.size;
  }

  start(): void {
    this.loop ??= this.run();
  }

  /** Stops pulling; messages already delivered to this process are still processed. */
  async stopPulling(): Promise<void> {
    this.stopping = true;
    this.batch?.stop();
    this.wake?.();
    await this.loop;
  }

  /** Resolves once every started handler has settled its message. */
  async idle(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }

  private async run(): Promise<void> {
    while (!this.stopping) {
      const free = this.concurrency - this.inFlight.size;
      if (free <= 0) {
        await this.pause(null);
        continue;
      }
      try {
        const batch = await this.consumer.fetch({ max_messages: free, expires: this.pullExpiresMs });
        this.batch = batch;
        if (this.stopping) batch.stop();
        const overdue = setTimeout(() => {
          this.logger.warn(`pull from ${this.name} outlived its expiry; pulling again`);
          batch.stop();
        }, this.pullExpiresMs + this.fetchGraceMs);
        try {
          for await (const msg of batch) this.track(msg);
        } finally {
          clearTimeout(overdue);
        }
      } catch (error) {
        if (this.stopping) break;
        // A deleted consumer, a restarted server or missed heartbeats end a pull; the next one may succeed.
        this.logger.warn(`pull from ${this.name} failed: ${errorMessage(error)}`);
        await this.pause(RETRY_PULL_MS);
      } finally {
        this.batch = null;
      }
    }
  }

  private track(msg: JsMsg): void {
    const task = this.process(msg)
      .catch((error: unknown) => {
        this.logger.error(`${msg.subject} seq=${msg.seq}: unexpected transport error: ${errorMessage(error)}`);
      })
      .finally(() => {
        this.inFlight.delete(task);
        this.wake?.();
      });
    this.inFlight.add(task);
  }

  /** Waits for a freed slot, stop(), or `ms`. */
  private pause(ms: number | null): Promise<void> {
    return new Promise((resolve) => {
      const timer = ms === null ? null : setTimeout(done, ms);
      function done(): void {
        if (timer) clearTimeout(timer);
        resolve();
      }
      this.wake = () => {
        this.wake = null;
        done();
      };
    });
  }
}
