import type { Group, LeaseRecord, LeaseState } from './lease.record.js';
import type { Clock, LeaseLogger } from './clock.js';

/** Keeps spec output readable; the classes log every step-down and failed heartbeat. */
export const quietLogger: LeaseLogger = { log: () => undefined, warn: () => undefined };

/** A real clock that a spec can push forward, as if the process had stalled for a while. */
export class JumpingClock implements Clock {
  private offset = 0;
  now(): number {
    return performance.now() + this.offset;
  }
  jump(ms: number): void {
    this.offset += ms;
  }
}

export function leaseRecord(
  node: string,
  holder: string,
  fields: { phase: Group[]; state: LeaseState; epoch: number } & Partial<LeaseRecord>,
): LeaseRecord {
  return { node, holder, since: new Date().toISOString(), ...fields };
}
