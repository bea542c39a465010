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

/** An ungated stage pulls its durable consumer with nats.js fetches, each open for at most `expiresMs`. */
export interface FetchPulling {
  /** The stage's durable pull consumer (`js.consumers.get(stream, stage)`). */
  consumer: Consumer;
  /** How long one pull request waits at the server for messages (nats.js takes at least 1000). */
  expiresMs: number;
  /** How long a fetch may stay open past `expiresMs` before it is stopped and pulled again. Default 5000. */
  graceMs?: number;
}

/** A stage gated on the GPU lease pulls only under a grant, polling this often while its queue is empty. */
export interface GatedPulling {
  /** Says whether (and how much) this stage may pull now, and hears how much the worker holds. */
  gate: PullGate;
  /** One no-wait pull of up to the given number of messages. */
  pull: NoWaitPull;
  /** How long to wait before pulling again after a pull that came back empty. */
  pollMs: number;
}

/** What a StageWorker pulls from, how much it may hold, and what it hands each message to. */
export interface StageWorkerOptions {
  /** Names the worker in its logs (the stage, plus the worker id where several share a process). */
  name: string;
  /** Messages this worker holds at most; a grant's concurrency overrides it for a gated stage. */
  concurrency: number;
  /**
   * Settles one message (StageProcessor.process). `epoch` is the lease epoch the message was pulled under, null when
   * ungated. A rejection is logged as a transport error; the message is then left to its ack_wait.
   */
  process: (msg: WorkMessage, epoch: number | null) => Promise<void>;
  logger: Logger;
  /** Where messages come from: fetches from a nats.js consumer, or no-wait pulls under a GPU lease gate. */
  source: FetchPulling | GatedPulling;
  /** Hears every start and end of a message (the stage heartbeat writes soon after). */
  onChange?: () => void;
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

  private readonly name: string;
  private readonly concurrency: number;
  private readonly process: StageWorkerOptions['process'];
  private readonly logger: Logger;
  private readonly source: FetchPulling | GatedPulling;
  /** `source` when the stage is gated, for the paths that report to its gate. */
  private readonly gated: GatedPulling | null;

  constructor(options: StageWorkerOptions) {
    this.name = options.name;
    this.concurrency = options.concurrency;
    this.process = options.process;
    this.logger = options.logger;
    this.source = options.source;
    this.gated = isGated(options.source) ? options.source : null;
    this.onChange = options.onChange ?? (() => undefined);
  }

  private readonly onChange: () => void;

  /** 1 while a gated pull is on its way: the gate must not see this worker idle while messages may arrive. */
  private pulling = 0;
  private unwatchGate: (() => void) | null = null;

  get running(): number {
    return this.inFlight.size;
  }

  /** Messages it may hold now: under a GPU grant the grant's concurrency, without one (or ungated) its own. */
  get slots(): number {
    const grant = this.gated?.gate.grant();
    return grant?.concurrency ?? this.concurrency;
  }

  start(): void {
    if (this.gated && !this.unwatchGate) this.unwatchGate = this.gated.gate.onChange(() => this.wake?.());
    const { source } = this;
    this.loop ??= isGated(source) ? this.runGated(source) : this.run(source);
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

  private async run({ consumer, expiresMs, graceMs = FETCH_GRACE_MS }: FetchPulling): Promise<void> {
    while (!this.stopping) {
      const free = this.concurrency - this.inFlight.size;
      if (free <= 0) {
        await this.pause(null);
        continue;
      }
      try {
        const batch = await consumer.fetch({ max_messages: free, expires: expiresMs });
        this.batch = batch;
        if (this.stopping) batch.stop();
        const overdue = setTimeout(() => {
          this.logger.warn(`pull from ${this.name} outlived its expiry; pulling again`);
          batch.stop();
        }, expiresMs + graceMs);
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
        this.onChange();
        this.wake?.();
      });
    this.inFlight.add(task);
    this.onChange();
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

function isGated(source: FetchPulling | GatedPulling): source is GatedPulling {
  return 'gate' in source;
}
