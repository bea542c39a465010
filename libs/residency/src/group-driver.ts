/**
 * Loads and unloads the models of one residency group on one GPU node (DESIGN.md, "The GPU phase lease").
 * The scheduler calls `unload` on the old group and then `load` on the next one; it never overlaps the two.
 *
 * Errors: RESIDENCY_TIMEOUT (transient) when the engine did not get there within the driver's time limit,
 * RESIDENCY_REFUSED (permanent) when the engine refused outright (unknown model, forbidden), the signal's reason
 * when aborted. Connection failures are retried inside the time limit: the engine may be restarting.
 */
/** A model an engine reports resident: its name and, where the engine says, the VRAM it holds. */
export interface ResidentModel {
  model: string;
  vramMb: number | null;
}

export interface GroupDriver {
  /** For logs and errors: the engine, its models or Deployment, and where it is. */
  readonly description: string;
  /** Resolves once every model of the group is resident and serving. Loading what is already loaded is a no-op. */
  load(signal?: AbortSignal): Promise<void>;
  /**
   * Resolves once the group's memory is confirmed free: its models are absent from the engine's `/api/ps`, or its
   * pods are gone. Requests still running are allowed to finish first. Unloading what is not loaded is a no-op.
   */
  unload(signal?: AbortSignal): Promise<void>;
  /** Whether every model of the group is resident now, as the engine reports it (the scheduler's start-up view). */
  loaded(): Promise<boolean>;
  /**
   * The group's models the engine itself reports resident now (its `/api/ps`, or the Deployment's ready pods), asked
   * once with a short limit: what the status service shows as resident, probed rather than assumed from the lease.
   * ENGINE_UNAVAILABLE when the engine cannot answer.
   */
  resident(): Promise<ResidentModel[]>;
}
