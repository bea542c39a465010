import type { Group, LeaseState } from '@introeval/contracts';
// The residency groups and their stages are columns of the stage table; they are re-exported here because the lease
// is where most code meets them.
export { GROUP_STAGE, GROUPS, STAGE_GROUP, type Group } from '@introeval/contracts';
// The lease states are vocabulary the policy shares (libs/contracts/src/lease-state.ts).
export { LEASE_STATES, type LeaseState } from '@introeval/contracts';

/** The lease of one GPU node, stored in the leases bucket under the node's name. */
export interface LeaseRecord {
  node: string;
  /** The groups that own the node now (several when they fit in VRAM together). */
  phase: Group[];
  state: LeaseState;
  /** Rises on every grant; the fencing token workers stamp on their engine calls. */
  epoch: number;
  /** The scheduler (LeaderElection holder) that wrote this record. */
  holder: string;
  /** When the record entered `state` (ISO 8601). */
  since: string;
  /** Optional per-grant limit the workers obey: engine concurrency per group. */
  concurrency?: Partial<Record<Group, number>>;
  /** Optional cap on jobs one worker starts under this epoch; null or absent: no cap. */
  quota?: number | null;
  /**
   * While a switch is under way (draining, releasing, loading): the grant it is heading for. Kept in the record so a
   * standby that takes over mid-switch finishes the same switch.
   */
  next?: PhaseGrant;
}

/** What a grant gives: the groups, and optional per-grant limits. */
export interface PhaseGrant {
  phase: Group[];
  concurrency?: Partial<Record<Group, number>>;
  quota?: number | null;
}

export const WORKER_STATES = ['busy', 'idle', 'stopped'] as const;
export type WorkerState = (typeof WORKER_STATES)[number];

/** A stage worker's heartbeat: which lease epoch it has seen and whether it still has work in flight. */
export interface WorkerReport {
  node: string;
  group: Group;
  workerId: string;
  /** The latest lease epoch the worker has seen for its node. */
  epoch: number;
  state: WorkerState;
  inFlight: number;
  /** Jobs the worker started under `epoch`: how the scheduler sees a quota used up. */
  started: number;
  /**
   * The revision of the lease record the worker had applied when it sent this report. The scheduler counts a worker
   * idle for a draining phase only from a report at or after the draining record's revision: an older "idle" may
   * predate a pull the worker started before it saw the drain.
   */
  leaseRevision: number;
  /** When the worker sent this report (ISO 8601). */
  at: string;
}

/** True when `record` lets workers of `group` start work now. */
export function grants(record: LeaseRecord | null, group: Group): boolean {
  return record !== null && record.state === 'granted' && record.phase.includes(group);
}
