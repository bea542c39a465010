/** Under which grant a gated stage may pull now. */
export interface Grant {
  /** The lease epoch the work runs under: stamped on engine calls and in the job record. */
  epoch: number;
  /** Messages this worker may hold at once under the grant (it overrides the worker's own); null: the worker's own. */
  concurrency: number | null;
  /** Messages this worker may still start under this epoch; null: no limit. */
  quota: number | null;
}

/**
 * What a stage worker bound to a GPU node asks before it pulls (the lease gate in @introeval/lease implements it).
 * Messaging knows nothing of leases: only that pulling is allowed under a grant, and that the gate must hear how many
 * messages the worker holds, so the scheduler can tell when a draining phase is idle.
 */
export interface PullGate {
  /** The current grant for this worker's stage, or null when it may not start work. */
  grant(): Grant | null;
  /** Subscribes to grant changes; returns the unsubscribe function. */
  onChange(listener: () => void): () => void;
  /**
   * The worker now holds `inFlight` messages (a pull on its way counts as one); `startedUnder` is set when the change
   * is one message starting under that epoch (it counts against the grant's quota).
   */
  holding(inFlight: number, startedUnder?: number): void;
}
