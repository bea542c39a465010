/**
 * How a GPU lease operation can fail. These never reach a job or a request: the scheduler and the gated workers
 * handle them (re-read the lease, step down, overwrite a corrupt record), so no transport maps them.
 */
export enum LeaseErrorCode {
  /** A lease write lost a compare-and-set (stale revision) or tried to lower the epoch. */
  LeaseConflict = 'LEASE_CONFLICT',
  /** A scheduler acted without holding (or after losing) leadership of its node. */
  NotLeader = 'NOT_LEADER',
  /** A lease or worker record in KV that does not match its shape. */
  LeaseRecordInvalid = 'LEASE_RECORD_INVALID',
}

/** A lease error with its code; always transient for whoever runs into it (it decides again on fresh state). */
export class LeaseError extends Error {
  constructor(
    readonly code: LeaseErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'LeaseError';
  }
}

/**
 * A lease write that must not land: the stored revision moved on since the writer read it, or the write would lower
 * the epoch. Either way the writer's view is stale; it re-reads the lease and decides again.
 */
export class LeaseConflictError extends LeaseError {
  constructor(message: string, cause?: unknown) {
    super(LeaseErrorCode.LeaseConflict, message, { cause });
    this.name = 'LeaseConflictError';
  }
}

/** The caller is not (or no longer) the scheduler leader of its node, so it must not write the lease. */
export class NotLeaderError extends LeaseError {
  constructor(message: string) {
    super(LeaseErrorCode.NotLeader, message);
    this.name = 'NotLeaderError';
  }
}

/**
 * A value in the lease or workers bucket that is not a valid record. `revision` lets the leader overwrite a corrupt
 * lease by compare-and-set instead of being stuck behind it.
 */
export class LeaseRecordInvalidError extends LeaseError {
  constructor(
    message: string,
    readonly key: string,
    readonly revision: number,
  ) {
    super(LeaseErrorCode.LeaseRecordInvalid, message);
    this.name = 'LeaseRecordInvalidError';
  }
}
