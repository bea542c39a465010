import type { Group, LeaseState } from '@introeval/contracts';

/** One residency group as the scheduler sees it at a decision: its engine, and the work queued for it. */
export interface GroupView {
  group: Group;
  vramMb: number;
  /** Requests its engine serves at once (speaches batch, Ollama NUM_PARALLEL), from the node file. */
  concurrency: number;
  /** Moving average of one job's service time at that concurrency, in seconds. */
  serviceSec: number;
  /** Jobs queued for the group's stage and not started anywhere (including those whose worker died, awaiting redelivery). */
  waiting: number;
  /** Jobs of the group running on this node now. */
  running: number;
  /** Jobs started on this node under the current epoch. */
  startedInEpoch: number;
  /** How long the oldest waiting job has waited, in seconds; null when none waits. */
  oldestWaitSec: number | null;
  /** Jobs in earlier stages that are not gated on this node's lease and will reach this group soon. */
  upstream: number;
}

export interface NodeView {
  /** Seconds on the scheduler's clock. */
  nowSec: number;
  phase: Group[];
  state: LeaseState;
  /** The grant's quota, if any. */
  quota: number | null;
  /** When the lease entered its state, seconds on the same clock. */
  sinceSec: number;
  budgetMb: number;
  /** Moving average of a phase switch (drain + release + load), in seconds. */
  switchSec: number;
  groups: Record<Group, GroupView>;
}

/** Keep the phase as it is, or switch the node to another set of groups (with optional per-grant limits). */
export type Decision =
  | { kind: 'stay' }
  | { kind: 'switch'; phase: Group[]; concurrency?: Partial<Record<Group, number>>; quota?: number | null };

/** Decides, for one GPU node, which residency groups own it next and when. Called on every scheduler tick. */
export interface PhasePolicy {
  readonly name: string;
  decide(view: NodeView): Decision;
  /**
   * Takes up a grant this instance did not decide (the forecast replaying from a node's current lease), so a policy
   * that plans across grants (a batch's next step) carries on from it instead of starting its plan over. Policies
   * that keep no such plan leave it out.
   */
  resume?(grant: { phase: readonly Group[]; quota: number | null }): void;
}

export const STAY: Decision = { kind: 'stay' };
