import { Logger } from '@nestjs/common';
import { isCasConflict } from '@introeval/nats';
import type { KV, KvEntry } from '@nats-io/kv';
import type { LeaseLogger } from './clock.js';
import type { LeaderElection } from './leader.election.js';
import type { LeaseBuckets } from './lease.buckets.js';
import { LeaseConflictError, LeaseRecordInvalidError } from './lease.errors.js';
import type { LeaseRecord } from './lease.record.js';
import { assertNodeName, leaseRecordProblems, parseLeaseRecord } from './lease.validation.js';

export interface StoredLease {
  record: LeaseRecord;
  revision: number;
}

export type LeaseListener = (record: LeaseRecord, revision: number) => void;

/** What a lease watcher hears besides valid records. */
export interface LeaseWatchHandlers {
  /** The key was deleted or purged: there is no lease. */
  onDeleted?(revision: number): void;
  /** The stored value is not a valid record: treat as no grant (a worker must not work on what it cannot read). */
  onInvalid?(error: LeaseRecordInvalidError): void;
}

/** Turns a KV entry into a record, or throws LeaseRecordInvalidError naming the node, revision and every problem. */
function decode(node: string, entry: KvEntry): LeaseRecord {
  const parsed = parseLeaseRecord(entry.string());
  const problems = parsed.ok ? [] : parsed.problems;
  if (parsed.ok && parsed.value.node === node) return parsed.value;
  if (parsed.ok) problems.push(`node is "${parsed.value.node}" under the key of node "${node}"`);
  const message = `lease of node ${node} (revision ${entry.revision}) is invalid: ${problems.join('; ')}`;
  throw new LeaseRecordInvalidError(message, node, entry.revision);
}

/**
 * The lease records, one per GPU node. Only the scheduler leader writes them, always by compare-and-set on the
 * revision it read, and never lowering the epoch: the server-side check fences a deposed leader whose write was
 * already under way when it lost leadership.
 */
export class LeaseStore {
  private readonly kv: KV;

  constructor(
    buckets: LeaseBuckets,
    private readonly logger: LeaseLogger = new Logger(LeaseStore.name),
  ) {
    this.kv = buckets.leases;
  }

  /** The node's lease and its revision; null when there is none. A corrupt value throws LeaseRecordInvalidError. */
  async read(node: string): Promise<StoredLease | null> {
    assertNodeName(node);
    const entry = await this.kv.get(node);
    if (!entry || entry.operation !== 'PUT') return null;
    return { record: decode(node, entry), revision: entry.revision };
  }

  /**
   * Writes the node's lease if `leader` still leads and the stored revision is `expectedRevision` (null: no lease
   * yet). Rejects with LeaseConflictError on a stale revision or an epoch below the stored one, NotLeaderError when
   * not leader. Returns the new revision.
   */
  async write(
    node: string,
    record: LeaseRecord,
    expectedRevision: number | null,
    leader: LeaderElection,
  ): Promise<number> {
    assertNodeName(node);
    const problems = leaseRecordProblems(record);
    if (record.node !== node) problems.push(`record.node "${record.node}" is not "${node}"`);
    if (record.holder !== leader.holder) {
      problems.push(`record.holder "${record.holder}" is not the leader "${leader.holder}"`);
    }
    if (problems.length > 0) throw new RangeError(`refusing to write an invalid lease: ${problems.join('; ')}`);
    leader.assertLeader();

    const current = await this.kv.get(node);
    const currentRevision = current && current.operation === 'PUT' ? current.revision : null;
    if (currentRevision !== expectedRevision) {
      throw new LeaseConflictError(
        `lease of ${node} is at revision ${currentRevision ?? 'none'}, not ${expectedRevision ?? 'none'}`,
      );
    }
    if (current && currentRevision !== null) {
      const storedEpoch = this.storedEpoch(node, current);
      if (storedEpoch !== null && record.epoch < storedEpoch) {
        throw new LeaseConflictError(`lease of ${node} is at epoch ${storedEpoch}; refusing epoch ${record.epoch}`);
      }
    }

    // Checked again after the read: leadership may have ended while it was in flight.
    leader.assertLeader();
    const value = JSON.stringify(record);
    try {
      return expectedRevision === null
        ? await this.kv.create(node, value)
        : await this.kv.update(node, value, expectedRevision);
    } catch (error) {
      if (isCasConflict(error)) {
        throw new LeaseConflictError(`lease of ${node} changed since revision ${expectedRevision ?? 'none'}`, error);
      }
      throw error;
    }
  }

  /**
   * Calls `onRecord` with the node's current lease (if any), then with every update, until stop(). Corrupt values
   * and deletions go to `handlers` instead; they never end the watch.
   */
  async watch(node: string, onRecord: LeaseListener, handlers: LeaseWatchHandlers = {}): Promise<{ stop(): void }> {
    assertNodeName(node);
    const watch = await this.kv.watch({ key: node });
    void (async () => {
      try {
        for await (const entry of watch) this.deliver(node, entry, onRecord, handlers);
      } catch (error) {
        this.logger.warn(`the lease watcher of ${node} ended: ${String(error)}`);
      }
    })();
    return { stop: () => watch.stop() };
  }

  private deliver(node: string, entry: KvEntry, onRecord: LeaseListener, handlers: LeaseWatchHandlers): void {
    if (entry.operation !== 'PUT') {
      handlers.onDeleted?.(entry.revision);
      return;
    }
    let record: LeaseRecord;
    try {
      record = decode(node, entry);
    } catch (error) {
      this.logger.warn((error as LeaseRecordInvalidError).message);
      handlers.onInvalid?.(error as LeaseRecordInvalidError);
      return;
    }
    try {
      onRecord(record, entry.revision);
    } catch (error) {
      this.logger.warn(`a lease watcher of ${node} failed: ${String(error)}`);
    }
  }

  /**
   * The highest epoch among the node's kept revisions (the bucket keeps a few), 0 when none is readable: a leader that
   * replaces a corrupt record continues above it, so an epoch is never handed out twice.
   */
  async highestEpoch(node: string): Promise<number> {
    assertNodeName(node);
    let highest = 0;
    const history = await this.kv.history({ key: node });
    for await (const entry of history) {
      if (entry.operation === 'PUT') highest = Math.max(highest, this.storedEpoch(node, entry) ?? 0);
    }
    return highest;
  }

  /** The epoch of a stored value, or null when it is too corrupt to have one (the leader may then overwrite it). */
  private storedEpoch(node: string, entry: KvEntry): number | null {
    try {
      return decode(node, entry).epoch;
    } catch {
      return null;
    }
  }
}
