import { Logger } from '@nestjs/common';
import { systemClock, type Clock, type LeaseLogger } from './clock.js';
import { LeaseRecordInvalidError } from './lease.errors.js';
import { grants, type Group, type LeaseRecord, type WorkerReport } from './lease.record.js';
import type { LeaseStore, StoredLease } from './lease.store.js';
import { assertNodeName, assertWorkerId } from './lease.validation.js';
import type { WorkerPresence } from './worker.presence.js';

export interface LeaseGateOptions {
  node: string;
  group: Group;
  workerId: string;
  /** How often the worker re-reports (and re-reads the lease); keep the workers bucket TTL at 3x this or more. */
  heartbeatEveryMs: number;
  /**
   * The grant lapses when no heartbeat has been stored for this long (default 2 x heartbeatEveryMs), so a worker cut
   * off from NATS stops before the scheduler, no longer seeing its heartbeat, treats it as gone.
   */
  staleAfterMs?: number;
  clock?: Clock;
  logger?: LeaseLogger;
}

export interface Allowance {
  /** Messages the worker may have in flight at once under this grant. */
  concurrency: number;
  /** Jobs this worker may still start under this epoch; null: no cap. */
  quota: number | null;
}

/**
 * The worker side of the lease: watches one node's lease and answers "may I pull for my group now, under which
 * epoch, and how much". It also keeps the worker's heartbeat (epoch seen, busy/idle, in-flight count) in the
 * workers bucket, which is how the scheduler learns that a draining phase has finished.
 */
export class LeaseGate {
  private readonly node: string;
  private readonly group: Group;
  private readonly workerId: string;
  private readonly heartbeatEveryMs: number;
  private readonly staleAfterMs: number;
  private readonly clock: Clock;
  private readonly logger: LeaseLogger;
  private readonly listeners = new Set<() => void>();

  private record: LeaseRecord | null = null;
  private revision = 0;
  /** The highest epoch seen, reported even after the lease disappears. */
  private seenEpoch = 0;
  private inFlight = 0;
  /** Jobs started per epoch, for the quota. */
  private readonly startedUnder = new Map<number, number>();
  /** Clock time at which the last heartbeat that was stored was sent. */
  private aliveAt = Number.NEGATIVE_INFINITY;
  private lastView = '';
  private started = false;
  private stopped = false;
  private watch: { stop(): void } | null = null;
  private heartbeats: NodeJS.Timeout | null = null;
  private staleTimer: NodeJS.Timeout | null = null;
  private reporting: Promise<void> | null = null;
  private reportWanted = false;

  constructor(
    private readonly store: LeaseStore,
    private readonly presence: WorkerPresence,
    opts: LeaseGateOptions,
  ) {
    assertNodeName(opts.node);
    assertWorkerId(opts.workerId);
    this.node = opts.node;
    this.group = opts.group;
    this.workerId = opts.workerId;
    this.heartbeatEveryMs = opts.heartbeatEveryMs;
    this.staleAfterMs = opts.staleAfterMs ?? 2 * opts.heartbeatEveryMs;
    this.clock = opts.clock ?? systemClock;
    this.logger = opts.logger ?? new Logger(`LeaseGate ${opts.node}/${opts.group}`);
    if (!(this.heartbeatEveryMs > 0 && this.staleAfterMs > this.heartbeatEveryMs)) {
      throw new RangeError('heartbeatEveryMs must be positive and staleAfterMs larger than it');
    }
  }

  /** Starts watching the lease and heartbeating; resolves once the lease is known and a first report was tried. */
  async start(): Promise<void> {
    if (this.started) return;
    this.started = true;
    this.watch = await this.store.watch(this.node, (record, revision) => this.applyLease(record, revision), {
      onDeleted: (revision) => this.applyLease(null, revision),
      onInvalid: (error) => this.applyLease(null, error.revision),
    });
    await this.heartbeat();
    this.heartbeats = setInterval(() => void this.heartbeat(), this.heartbeatEveryMs);
  }

  /** Revokes the grant, stops heartbeating and removes the worker's report. Drain in-flight work before calling it. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    if (this.heartbeats) clearInterval(this.heartbeats);
    if (this.staleTimer) clearTimeout(this.staleTimer);
    this.watch?.stop();
    this.record = null;
    this.emitIfChanged();
    await this.reporting;
    try {
      await this.presence.remove(this.node, this.group, this.workerId);
    } catch (error) {
      this.logger.warn(`could not remove the report of ${this.workerId} (it expires by TTL): ${String(error)}`);
    }
  }

  /** The epoch work may start under now, or null when the group is not granted (not in phase, or state != granted). */
  get grantedEpoch(): number | null {
    return this.fresh() && this.record !== null && grants(this.record, this.group) ? this.record.epoch : null;
  }

  /** The latest lease seen (null: none, deleted or unreadable), whether or not it grants anything. */
  get lease(): LeaseRecord | null {
    return this.record;
  }

  /**
   * Max concurrent messages under the current grant (lease concurrency for the group, else the caller's default)
   * and remaining quota; null when nothing is granted.
   */
  allowance(defaultConcurrency: number): Allowance | null {
    const epoch = this.grantedEpoch;
    if (epoch === null || this.record === null) return null;
    const concurrency = this.record.concurrency?.[this.group] ?? defaultConcurrency;
    const cap = this.record.quota ?? null;
    return { concurrency, quota: cap === null ? null : Math.max(0, cap - (this.startedUnder.get(epoch) ?? 0)) };
  }

  /** Calls `listener` whenever the grant, the lease or the allowance changed; returns an unsubscribe function. */
  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * The worker's in-flight count, `n`; pass `startedUnderEpoch` when the change is a job starting (it counts against
   * that epoch's quota). A change is reported at once, so a draining worker reports idle as soon as `n` reaches 0.
   */
  setInFlight(n: number, startedUnderEpoch?: number): void {
    if (!Number.isSafeInteger(n) || n < 0) {
      throw new RangeError(`in-flight count must be a non-negative integer, got ${n}`);
    }
    if (startedUnderEpoch !== undefined) {
      this.startedUnder.set(startedUnderEpoch, (this.startedUnder.get(startedUnderEpoch) ?? 0) + 1);
    }
    const changed = n !== this.inFlight;
    this.inFlight = n;
    if (changed) this.reportSoon();
    this.emitIfChanged();
  }

  private fresh(): boolean {
    return !this.stopped && this.clock.now() - this.aliveAt < this.staleAfterMs;
  }

  /** Applies a lease seen by the watcher; an older revision than the one applied (a slow read) is ignored. */
  private applyLease(record: LeaseRecord | null, revision: number): void {
    if (this.stopped || revision <= this.revision) return;
    this.revision = revision;
    this.record = record;
    if (record) {
      this.seenEpoch = Math.max(this.seenEpoch, record.epoch);
      for (const epoch of this.startedUnder.keys()) if (epoch < record.epoch) this.startedUnder.delete(epoch);
    }
    // The scheduler waits for workers to acknowledge a new state and epoch: tell it at once.
    this.reportSoon();
    this.emitIfChanged();
  }

  /** Re-reads the lease (in case the watcher missed an update while reconnecting), then reports. */
  private async heartbeat(): Promise<void> {
    try {
      const stored: StoredLease | null = await this.store.read(this.node);
      if (stored) this.applyLease(stored.record, stored.revision);
      else if (this.record !== null && !this.stopped) {
        // Deleted while the watcher was away: no lease, no grant.
        this.record = null;
        this.emitIfChanged();
      }
    } catch (error) {
      if (error instanceof LeaseRecordInvalidError) this.applyLease(null, error.revision);
      else this.logger.warn(`could not read the lease of ${this.node}: ${String(error)}`);
    }
    this.reportSoon();
    await this.reporting;
  }

  private reportSoon(): void {
    if (this.stopped || !this.started) return;
    this.reportWanted = true;
    this.reporting ??= this.flushReports();
  }

  /** Sends reports one at a time (the latest state each time), so they never land out of order. */
  private async flushReports(): Promise<void> {
    while (this.reportWanted && !this.stopped) {
      this.reportWanted = false;
      const sentAt = this.clock.now();
      try {
        await this.presence.report(this.snapshot());
        this.aliveAt = sentAt;
        this.armStaleTimer();
        this.emitIfChanged();
      } catch (error) {
        this.logger.warn(`heartbeat of ${this.workerId} failed: ${String(error)}`);
      }
    }
    this.reporting = null;
  }

  private snapshot(): WorkerReport {
    return {
      node: this.node,
      group: this.group,
      workerId: this.workerId,
      epoch: this.seenEpoch,
      state: this.inFlight > 0 ? 'busy' : 'idle',
      inFlight: this.inFlight,
      started: this.startedUnder.get(this.seenEpoch) ?? 0,
      leaseRevision: this.revision,
      at: new Date().toISOString(),
    };
  }

  /** Makes listeners hear about a grant that lapsed because heartbeats stopped landing. */
  private armStaleTimer(): void {
    if (this.staleTimer) clearTimeout(this.staleTimer);
    // +1 ms: timers may fire a hair before the clock agrees that the time has come.
    const delay = Math.max(0, this.aliveAt + this.staleAfterMs - this.clock.now()) + 1;
    this.staleTimer = setTimeout(() => {
      this.staleTimer = null;
      if (this.fresh()) this.armStaleTimer();
      else this.emitIfChanged();
    }, delay);
  }

  private emitIfChanged(): void {
    const epoch = this.grantedEpoch;
    const view = JSON.stringify([epoch, this.revision, this.record?.state, epoch === null ? null : this.allowance(0)]);
    if (view === this.lastView) return;
    this.lastView = view;
    for (const listener of [...this.listeners]) {
      try {
        listener();
      } catch (error) {
        this.logger.warn(`a lease gate listener failed: ${String(error)}`);
      }
    }
  }
}
