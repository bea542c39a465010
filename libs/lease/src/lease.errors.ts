import { ErrorCode, IntroEvalError } from '@introeval/contracts';

/**
 * A lease write that must not land: the stored revision moved on since the writer read it, or the write would lower
 * the epoch. Either way the writer's view is stale; it re-reads the lease and decides again.
 */
export class LeaseConflictError extends IntroEvalError {
  constructor(message: string, cause?: unknown) {
    super(ErrorCode.LeaseConflict, message, false, { cause });
    this.name = 'LeaseConflictError';
  }
}

/** The caller is not (or no longer) the scheduler leader of its node, so it must not write the lease. */
export class NotLeaderError extends IntroEvalError {
  constructor(message: string) {
    super(ErrorCode.NotLeader, message, false);
    this.name = 'NotLeaderError';
  }
}

/**
 * A value in the lease or workers bucket that is not a valid record. `revision` lets the leader overwrite a corrupt
 * lease by compare-and-set instead of being stuck behind it.
 */
export class LeaseRecordInvalidError extends IntroEvalError {
  constructor(
    message: string,
    readonly key: string,
    readonly revision: number,
  ) {
    super(ErrorCode.LeaseRecordInvalid, message, false);
    this.name = 'LeaseRecordInvalidError';
  }
}
