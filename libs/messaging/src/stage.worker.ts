import type { Consumer, ConsumerMessages } from '@nats-io/jetstream';
import type { Logger } from '@nestjs/common';
import type { Grant, PullGate } from './pull-gate.js';
import { errorMessage } from './retry.policy.js';
import type { WorkMessage } from './work-message.js';

const RETRY_PULL_MS = 1000;
/**
 * How long past its `expires` a fetch may stay open. nats.js ends a fetch through idle heartbeats, but after a
 * reconnect it resumes watching them only if its consumer check succeeds; right after a server restart that check can
 * fail, and the fetch would then wait for ever on a pull request the restarted server no longer knows.
 */
const FETCH_GRACE_MS = 5000;

/** Pulls for a gated stage: no-wait pulls of up to `batch` messages (see no-wait-pull.ts). */
export type NoWaitPull = (batch: number) => Promise<WorkMessage[]>;

/** A stage gated on the GPU lease pulls only under a grant, polling this often while its queue is empty. */
export interface GatedPulling {
  gate: PullGate;
  pull: NoWaitPull;
  pollMs: number;
}

/**
 * Pulls one durable consumer and keeps at most `concurrency` messages in this process. It fetches only as many
 * messages as it has free slots, so nothing waits in a client buffer while its ack_wait runs down.
 *
 * A gated worker pulls only while its gate grants the stage, at most the grant's concurrency and quota, and tells the
 * gate how much it holds (a pull on its way counts): the scheduler switches the GPU only once that reaches zero.
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
    private readonly process: (msg: WorkMessage, epoch: number | null) => Promise<void>,
    private readonly logger: Logger,
    private readonly fetchGraceMs = FETCH_GRACE_MS,
    private readonly gated: GatedPulling | null = null,
  ) {}

  /** 1 while a gated pull is on its way: the gate must not see this worker idle while messages may arrive. */
  private pulling = 0;
  private unwatchGate: (() => void) | null = null;

  get running(): number {
    return this.inFlight.size;
  }

  start(): void {
    if (this.gated && !this.unwatchGate) this.unwatchGate = this.gated.gate.onChange(() => this.wake?.());
    this.loop ??= this.gated ? this.runGated(this.gated) : this.run();
  }

  /** Stops pulling; messages already delivered to this process are still processed. */
  async stopPulling(): Promise<void> {
    this.stopping = true;
    this.batch?.stop();
    this.wake?.();
    await this.loop;
    this.unwatchGate?.();
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

  private async runGated({ gate, pull, pollMs }: GatedPulling): Promise<void> {
    while (!this.stopping) {
      const grant = gate.grant();
      const free = grant ? this.grantedSlots(grant) : 0;
      if (!grant || free <= 0) {
        await this.pause(null);
        continue;
      }
      let messages: WorkMessage[] = [];
      this.pulling = 1;
      this.report(gate);
      try {
        messages = await pull(free);
      } catch (error) {
        if (!this.stopping) this.logger.warn(`pull from ${this.name} failed: ${errorMessage(error)}`);
      } finally {
        this.pulling = 0;
      }
      // Pulled under the grant, before the gate could report this worker idle: the group is still resident.
      for (const msg of messages) {
        this.track(msg, grant.epoch);
        this.report(gate, grant.epoch);
      }
      if (messages.length === 0) {
        this.report(gate);
        if (!this.stopping) await this.pause(pollMs);
      }
    }
    this.report(gate);
  }

  /**
   * Free slots under a grant: its concurrency (the scheduler knows the engine's, so it overrides the worker's own)
   * less what this worker holds, and no more than its remaining quota.
   */
  private grantedSlots(grant: Grant): number {
    const concurrency = grant.concurrency ?? this.concurrency;
    return Math.min(concurrency - this.inFlight.size, grant.quota ?? Infinity);
  }

  /** Tells the gate what this worker holds; `startedUnder` when the change is a message starting under that epoch. */
  private report(gate: PullGate, startedUnder?: number): void {
    gate.holding(this.inFlight.size + this.pulling, startedUnder);
  }

  private track(msg: WorkMessage, epoch: number | null = null): void {
    const task = this.process(msg, epoch)
      .catch((error: unknown) => {
        this.logger.error(`${msg.subject} seq=${msg.seq}: unexpected transport error: ${errorMessage(error)}`);
      })
      .finally(() => {
        this.inFlight.delete(task);
        if (this.gated) this.report(this.gated.gate);
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
