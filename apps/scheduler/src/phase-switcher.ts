import { setTimeout as delay } from 'node:timers/promises';
import type { Logger } from '@nestjs/common';
import {
  GROUPS,
  type Group,
  type LeaderElection,
  type LeaseRecord,
  type LeaseStore,
  type PhaseGrant,
  type StoredLease,
  type WorkerPresence,
} from '@introeval/lease';
import type { GroupDriver } from '@introeval/residency';

export interface SwitcherDeps {
  node: string;
  holder: string;
  store: LeaseStore;
  election: LeaderElection;
  presence: WorkerPresence;
  drivers: Record<Group, GroupDriver>;
  /** Called after every lease write (the Kubernetes Lease mirror); must not throw. */
  onWrite: (record: LeaseRecord) => void;
  pollMs: number;
  logger: Logger;
  /**
   * Aborted when the scheduler stops: a switch in progress ends where it is (waits and driver calls included), and
   * the next leader resumes it from the lease. Without it a stopping scheduler would wait out a drain, holding the
   * leadership all the while.
   */
  signal: AbortSignal;
}
const WAIT_LOG_EVERY_MS = 30_000;

/**
 * Moves one node's lease through a switch: granted -> draining (workers stop pulling and report idle) -> releasing
 * (the groups leaving the card are unloaded and their memory confirmed free) -> loading (the next phase's groups
 * loaded) -> granted with epoch + 1. Every step is a compare-and-set write by the current leader, and the target
 * grant travels in the record, so a standby that takes over half-way resumes the same switch.
 */
export class PhaseSwitcher {
  constructor(private readonly deps: SwitcherDeps) {}

  /** The first lease of a node nobody has scheduled yet: idle, nothing resident, epoch 0. */
  async init(): Promise<StoredLease> {
    return this.write(null, { phase: [], state: 'idle', epoch: 0 });
  }

  /**
   * Replaces an unreadable lease record (at `revision`) with an idle one above every epoch the bucket still holds.
   * Idle grants nothing, and the caller then unloads whatever is resident: nobody can tell what the record said.
   */
  async replaceCorrupt(revision: number): Promise<StoredLease> {
    const epoch = (await this.deps.store.highestEpoch(this.deps.node)) + 1;
    this.deps.logger.warn(`node ${this.deps.node}: its lease record is unreadable; starting over idle at epoch ${epoch}`);
    const corrupt: StoredLease = {
      record: { node: this.deps.node, phase: [], state: 'idle', epoch, holder: this.deps.holder, since: '' },
      revision,
    };
    return this.write(corrupt, { phase: [], state: 'idle', epoch });
  }

  async switchTo(lease: StoredLease, next: PhaseGrant): Promise<StoredLease> {
    const from = lease.record.phase.join('+') || 'nothing';
    this.deps.logger.log(`node ${this.deps.node}: switching ${from} -> ${next.phase.join('+')} (epoch ${lease.record.epoch})`);
    const draining = await this.write(lease, { state: 'draining', next });
    return this.resume(draining);
  }

  /** Finishes whatever switch the lease is in (after a takeover too). A granted or idle lease is returned as it is. */
  async resume(lease: StoredLease): Promise<StoredLease> {
    let current = lease;
    const next = current.record.next ?? { phase: current.record.phase };
    if (current.record.state === 'draining') {
      await this.waitForIdleWorkers(current);
      current = await this.write(current, { state: 'releasing' });
    }
    if (current.record.state === 'releasing') {
      const leaving = current.record.phase.filter((g) => !next.phase.includes(g));
      await Promise.all(leaving.map((g) => this.deps.drivers[g].unload(this.deps.signal)));
      current = await this.write(current, { state: 'loading', phase: next.phase });
    }
    if (current.record.state === 'loading') {
      // Loading a group that is already resident is a cheap no-op on every driver.
      await Promise.all(next.phase.map((g) => this.deps.drivers[g].load(this.deps.signal)));
      current = await this.write(current, {
        state: 'granted',
        phase: next.phase,
        epoch: current.record.epoch + 1,
        concurrency: next.concurrency,
        quota: next.quota ?? null,
        next: undefined,
      });
      this.deps.logger.log(`node ${this.deps.node}: granted ${next.phase.join('+')} at epoch ${current.record.epoch}`);
    }
    return current;
  }

  /** On taking the lead: whatever the lease does not grant must not hold the card (a crash may have left it so). */
  async releaseUngranted(lease: StoredLease): Promise<void> {
    // In every state but idle, `phase` is what may be resident (while loading: the phase being loaded).
    const resident: readonly Group[] = lease.record.state === 'idle' ? [] : lease.record.phase;
    const stray = GROUPS.filter((g) => !resident.includes(g));
    await Promise.all(stray.map((g) => this.deps.drivers[g].unload(this.deps.signal)));
  }

  /**
   * Every live worker of the draining phase has reported nothing in flight from a report sent after it saw the
   * drain. An older "idle" may predate a pull it started before the drain reached it. Workers that died stop
   * reporting; their entries expire with the heartbeat TTL and their messages come back by redelivery.
   */
  private async waitForIdleWorkers(lease: StoredLease): Promise<void> {
    const started = Date.now();
    let logged = started;
    for (;;) {
      this.deps.signal.throwIfAborted();
      this.deps.election.assertLeader();
      const reports = await this.deps.presence.live(this.deps.node);
      const busy = reports.filter(
        (r) => lease.record.phase.includes(r.group) && (r.leaseRevision < lease.revision || r.inFlight > 0),
      );
      if (busy.length === 0) return;
      if (Date.now() - logged >= WAIT_LOG_EVERY_MS) {
        logged = Date.now();
        const who = busy.map((r) => `${r.workerId} (${r.inFlight} in flight)`).join(', ');
        this.deps.logger.warn(`node ${this.deps.node}: draining for ${Math.round((logged - started) / 1000)} s, waiting for ${who}`);
      }
      await delay(this.deps.pollMs, undefined, { signal: this.deps.signal });
    }
  }

  private async write(current: StoredLease | null, patch: Partial<LeaseRecord>): Promise<StoredLease> {
    const base: LeaseRecord = current?.record ?? { node: this.deps.node, phase: [], state: 'idle', epoch: 0, holder: this.deps.holder, since: '' };
    const record: LeaseRecord = { ...base, ...patch, node: this.deps.node, holder: this.deps.holder, since: new Date().toISOString() };
    if (record.next === undefined) delete record.next;
    const revision = await this.deps.store.write(this.deps.node, record, current?.revision ?? null, this.deps.election);
    this.deps.onWrite(record);
    return { record, revision };
  }
}
