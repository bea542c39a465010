import { Logger } from '@nestjs/common';
import { isCasConflict } from '@introeval/nats';
import { KvWatchInclude, type KV } from '@nats-io/kv';
import { systemClock, type Clock, type LeaseLogger } from './clock.js';
import { NotLeaderError } from './lease.errors.js';

export interface LeaderElectionOptions {
  /** What is being led: the node name, which is the key in the leaders bucket. */
  key: string;
  /** This process, unique among the contenders (e.g. `${hostname}-${pid}`); stored as the key's value. */
  holder: string;
  /** The leaders bucket's max_age: how long leadership survives the last renewal. */
  ttlMs: number;
  /** How often the leader renews and a standby tries to take over; default ttlMs / 3. */
  renewEveryMs?: number;
  /** The leader stops acting this long before its key could expire (room for a write in flight); default renew/2. */
  safetyMarginMs?: number;
  clock?: Clock;
  logger?: LeaseLogger;
}

/** Below this a KV request cannot be expected to come back even on loopback. */
const MIN_REQUEST_TIMEOUT_MS = 50;

/**
 * Scheduler leadership of one GPU node, held as a key in the leaders bucket (max_age = ttl).
 *
 * - Acquire: `kv.create` succeeds only while the key is absent (never written, deleted, or expired by max_age). A
 *   standby retries every renew period, and at once when it sees the key deleted.
 * - Renew: `kv.update` with the revision of our last write, every renew period. max_age counts from each write, so
 *   each renewal restarts the key's life; nobody else can create it before `ttl` after our last successful write.
 * - Step down: at once on a renewal conflict (the key is no longer ours), and when the last successful renewal was
 *   *sent* `ttl - margin` ago (the key may expire soon and a standby may take it). Listeners hear it before any
 *   other code runs, and `isLeader` checks the time itself, so a process that stalled cannot act on stale leadership.
 * - stop(): steps down, then deletes the key by compare-and-set so a standby takes over without waiting for the TTL.
 *
 * One instance per (node, scheduler process); it cannot be started again after stop().
 */
export class LeaderElection {
  readonly key: string;
  readonly holder: string;
  private readonly ttlMs: number;
  private readonly renewEveryMs: number;
  /** How long after sending a renewal that succeeded this process may act. */
  private readonly actWindowMs: number;
  private readonly clock: Clock;
  private readonly logger: LeaseLogger;
  private readonly listeners = new Set<(leader: boolean) => void>();

  /** The revision of our key while we may still own it (also after a transient renewal failure). */
  private revision: number | null = null;
  private leader = false;
  /** Clock time at which the last successful create/update was sent. */
  private renewedAt = Number.NEGATIVE_INFINITY;
  private started = false;
  private stopping: Promise<void> | null = null;
  private attempt: Promise<void> | null = null;
  private attemptAgainAtOnce = false;
  private nextAttempt: NodeJS.Timeout | null = null;
  private expiry: NodeJS.Timeout | null = null;
  private releases: { stop(): void } | null = null;

  constructor(
    private readonly kv: KV,
    opts: LeaderElectionOptions,
  ) {
    this.key = opts.key;
    this.holder = opts.holder;
    this.ttlMs = opts.ttlMs;
    this.renewEveryMs = opts.renewEveryMs ?? Math.floor(opts.ttlMs / 3);
    const margin = opts.safetyMarginMs ?? Math.floor(this.renewEveryMs / 2);
    this.actWindowMs = this.ttlMs - margin;
    this.clock = opts.clock ?? systemClock;
    this.logger = opts.logger ?? new Logger(`LeaderElection ${opts.key}`);
    if (!this.holder) throw new RangeError('holder must not be empty');
    if (!(this.renewEveryMs > 0 && margin >= 0 && this.renewEveryMs < this.actWindowMs)) {
      throw new RangeError(
        `renewEveryMs (${this.renewEveryMs}) must be positive and below ` +
          `ttlMs - safetyMarginMs (${this.ttlMs} - ${margin})`,
      );
    }
  }

  /** Starts contending (and renewing once leader). */
  start(): void {
    if (this.started) return;
    this.started = true;
    this.scheduleAttempt(0);
    void this.watchReleases();
  }

  /** Stops renewing; if leader, steps down and deletes the key (when still ours) so a standby takes over at once. */
  stop(): Promise<void> {
    this.stopping ??= this.release();
    return this.stopping;
  }

  /** True while this process holds leadership and its last renewal is recent enough to act on. */
  get isLeader(): boolean {
    if (this.leader && this.clock.now() - this.renewedAt >= this.actWindowMs) {
      this.stepDown('its last successful renewal is older than the TTL minus the safety margin');
    }
    return this.leader;
  }

  /** Calls `listener` with true on becoming leader and false on stepping down; returns an unsubscribe function. */
  onChange(listener: (leader: boolean) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Throws NotLeaderError if not (still) leader: called by the lease writer before each write. */
  assertLeader(): void {
    if (!this.isLeader) throw new NotLeaderError(`${this.holder} is not the scheduler leader of ${this.key}`);
  }

  private async release(): Promise<void> {
    if (this.nextAttempt) clearTimeout(this.nextAttempt);
    this.releases?.stop();
    await this.attempt;
    // Tell our own code first: it must stop acting before a standby can possibly start.
    this.stepDown('stopping');
    const revision = this.revision;
    this.revision = null;
    if (revision === null) return;
    try {
      await this.kv.delete(this.key, { previousSeq: revision });
    } catch (error) {
      // A conflict means the key is no longer ours; anything else: it expires by max_age.
      if (!isCasConflict(error)) this.logger.warn(`could not release leadership of ${this.key}: ${String(error)}`);
    }
  }

  private scheduleAttempt(delayMs: number): void {
    if (this.stopping) return;
    if (this.nextAttempt) clearTimeout(this.nextAttempt);
    this.nextAttempt = setTimeout(() => {
      this.nextAttempt = null;
      this.runAttempt();
    }, delayMs);
  }

  private runAttempt(): void {
    if (this.stopping) return;
    if (this.attempt) {
      this.attemptAgainAtOnce = true;
      return;
    }
    const startedAt = this.clock.now();
    this.attempt = this.acquireOrRenew().finally(() => {
      this.attempt = null;
      const atOnce = this.attemptAgainAtOnce;
      this.attemptAgainAtOnce = false;
      // Paced from the start of the attempt: a renewal that hung until its timeout is retried at once.
      this.scheduleAttempt(atOnce ? 0 : Math.max(0, this.renewEveryMs - (this.clock.now() - startedAt)));
    });
  }

  /** One create (standby) or compare-and-set update (leader); never throws. */
  private async acquireOrRenew(): Promise<void> {
    const sentAt = this.clock.now();
    try {
      if (this.revision === null) {
        this.revision = await this.kv.create(this.key, this.holder);
      } else {
        // Waiting longer than the act window is pointless: by then we have stepped down anyway.
        const remaining = this.renewedAt + this.actWindowMs - sentAt;
        const timeoutMs = Math.max(MIN_REQUEST_TIMEOUT_MS, Math.min(this.renewEveryMs, remaining));
        this.revision = await this.kv.update(this.key, this.holder, this.revision, timeoutMs);
      }
      this.renewed(sentAt);
    } catch (error) {
      if (isCasConflict(error)) {
        // Held by another process (standby), or no longer ours (leader): either way not ours.
        if (this.revision !== null) {
          this.revision = null;
          this.stepDown('the key was changed by someone else');
        }
        return;
      }
      // Transient (timeout, disconnect): keep the revision and retry; the expiry timer steps down when it must.
      const what = this.revision === null ? 'attempt' : 'renewal';
      this.logger.warn(`leadership ${what} for ${this.key} failed: ${String(error)}`);
    }
  }

  private renewed(sentAt: number): void {
    this.renewedAt = sentAt;
    // A reply that came back after the window closed proves nothing about now; the next renewal may.
    if (this.stopping || this.clock.now() - sentAt >= this.actWindowMs) return;
    this.armExpiry();
    if (!this.leader) {
      this.leader = true;
      this.logger.log(`${this.holder} is now the scheduler leader of ${this.key}`);
      this.notify(true);
    }
  }

  /** Steps down when the act window closes without a newer renewal, even if the renewal request is still hanging. */
  private armExpiry(): void {
    if (this.expiry) clearTimeout(this.expiry);
    // +1 ms: timers may fire a hair before the clock agrees that the time has come.
    const delay = Math.max(0, this.renewedAt + this.actWindowMs - this.clock.now()) + 1;
    this.expiry = setTimeout(() => {
      this.expiry = null;
      if (this.isLeader) this.armExpiry();
    }, delay);
  }

  private stepDown(reason: string): void {
    if (!this.leader) return;
    this.leader = false;
    if (this.expiry) clearTimeout(this.expiry);
    this.expiry = null;
    this.logger.warn(`${this.holder} stepped down as scheduler leader of ${this.key}: ${reason}`);
    this.notify(false);
  }

  private notify(leader: boolean): void {
    for (const listener of [...this.listeners]) {
      try {
        listener(leader);
      } catch (error) {
        this.logger.warn(`a leadership listener failed: ${String(error)}`);
      }
    }
  }

  /** A standby takes over at once when the leader deletes the key (stop()); expiry by max_age is found by polling. */
  private async watchReleases(): Promise<void> {
    try {
      const watch = await this.kv.watch({ key: this.key, include: KvWatchInclude.UpdatesOnly });
      if (this.stopping) {
        watch.stop();
        return;
      }
      this.releases = watch;
      for await (const entry of watch) {
        if (entry.operation !== 'PUT' && this.revision === null) this.runAttempt();
      }
    } catch (error) {
      this.logger.warn(`not watching ${this.key} for releases (polling only): ${String(error)}`);
    }
  }
}
