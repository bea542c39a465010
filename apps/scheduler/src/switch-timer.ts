import type { LeaseRecord } from '@introeval/lease';
import { MovingAverage } from '@introeval/scheduling';

/** A switch's release + load before the first is measured: the lab's 6-10 s model load. */
const SWITCH_SEC_SEED = 10;

/**
 * Times a node's switches from its lease writes. What it measures is what the forecast replays: release + load, from
 * the write that ends the drain (`releasing`) to the grant. The drain is left out on purpose: it lasts as long as the
 * phase's running jobs, which the forecast models job by job, so timing it here would count them twice. A switch
 * resumed after a takeover, whose `releasing` this scheduler did not write, is not measured.
 */
export class SwitchTimer {
  readonly releaseLoad = new MovingAverage(SWITCH_SEC_SEED);
  private startedAt: string | null = null;
  private releaseFromMs: number | null = null;

  /** Called with every lease record the scheduler writes (`nowMs` on the performance clock). */
  observe(record: LeaseRecord, nowMs = performance.now()): void {
    switch (record.state) {
      case 'draining':
        this.startedAt = record.since;
        this.releaseFromMs = null;
        return;
      case 'releasing':
        this.startedAt ??= record.since;
        this.releaseFromMs = nowMs;
        return;
      case 'loading':
        this.startedAt ??= record.since;
        return;
      case 'granted':
        if (this.releaseFromMs !== null) this.releaseLoad.add((nowMs - this.releaseFromMs) / 1000);
        this.reset();
        return;
      case 'idle':
        this.reset();
        return;
    }
  }

  /** When the switch under way began (its drain, ISO 8601), as far as this scheduler saw; null when none is. */
  get switchStartedAt(): string | null {
    return this.startedAt;
  }

  private reset(): void {
    this.startedAt = null;
    this.releaseFromMs = null;
  }
}
