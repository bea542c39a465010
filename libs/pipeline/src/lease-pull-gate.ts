import type { LeaseGate } from '@introeval/lease';
import type { Grant, PullGate } from '@introeval/messaging';

/** The lease gate (the GPU phase lease, seen by one worker) as the stage worker's pull gate. */
export class LeasePullGate implements PullGate {
  constructor(
    private readonly gate: LeaseGate,
    /** The worker's own concurrency: used when the grant sets none for its group. */
    private readonly defaultConcurrency: number,
  ) {}

  grant(): Grant | null {
    const epoch = this.gate.grantedEpoch;
    const allowance = epoch === null ? null : this.gate.allowance(this.defaultConcurrency);
    return epoch === null || !allowance ? null : { epoch, concurrency: allowance.concurrency, quota: allowance.quota };
  }

  onChange(listener: () => void): () => void {
    return this.gate.onChange(listener);
  }

  holding(inFlight: number, startedUnder?: number): void {
    this.gate.setInFlight(inFlight, startedUnder);
  }
}
