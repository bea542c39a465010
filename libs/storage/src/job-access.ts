import { timingSafeEqual } from 'node:crypto';
import { ErrorCode, IntroEvalError } from '@introeval/contracts';
import type { ReceiptSigner } from './receipts.js';

/** What a caller presents to read a job; null where it presented nothing. */
export interface JobCredentials {
  /** The receipt handed out when the job was submitted: opens that job only. */
  receipt: string | null;
  /** A bearer token: opens any job when it is the admin token. */
  bearer: string | null;
}

/** Whom a read was granted to: the admin token's holder, or the student holding the job's receipt. */
export type JobReader = 'admin' | 'owner';

/**
 * Who may read a job, for every transport that shows one (the gateway's HTTP guard, the status service's gRPC calls):
 * the holder of its receipt, or of the admin token when one is configured. It decides on credentials alone, before the
 * job is looked up, so that a caller without them cannot tell which jobs exist.
 */
export class JobAccess {
  constructor(
    private readonly receipts: ReceiptSigner,
    /** Null: no admin access at all (every bearer token is refused). */
    private readonly adminToken: string | null,
  ) {}

  /**
   * Whom `credentials` open `jobId` for. A bearer token decides alone, so a wrong one is refused even next to a good
   * receipt. Throws IntroEvalError UNAUTHORIZED without credentials, FORBIDDEN with ones that do not open the job.
   */
  authorize(jobId: string, { receipt, bearer }: JobCredentials): JobReader {
    if (bearer !== null) {
      if (this.adminToken !== null && sameSecret(bearer, this.adminToken)) return 'admin';
      throw IntroEvalError.permanent(ErrorCode.Forbidden, 'the admin token was not accepted');
    }
    if (receipt === null) {
      throw IntroEvalError.permanent(ErrorCode.Unauthorized, 'a receipt is required: send it as the X-Receipt header');
    }
    if (!this.receipts.verify(jobId, receipt)) {
      throw IntroEvalError.permanent(ErrorCode.Forbidden, 'this receipt does not belong to that submission');
    }
    return 'owner';
  }

  /**
   * For views across all jobs (queues, nodes): only the admin token opens them. Throws IntroEvalError UNAUTHORIZED
   * without credentials, FORBIDDEN with a wrong token or with a receipt (which opens its own job, nothing else).
   */
  authorizeAdmin({ receipt, bearer }: JobCredentials): 'admin' {
    if (bearer !== null) {
      if (this.adminToken !== null && sameSecret(bearer, this.adminToken)) return 'admin';
      throw IntroEvalError.permanent(ErrorCode.Forbidden, 'the admin token was not accepted');
    }
    if (receipt !== null) {
      throw IntroEvalError.permanent(ErrorCode.Forbidden, 'this needs the admin token; a receipt opens only its own submission');
    }
    throw IntroEvalError.permanent(ErrorCode.Unauthorized, 'the admin token is required: send it as authorization: Bearer <token>');
  }
}

/** The token of an `authorization: Bearer <token>` value (an HTTP header or gRPC metadata); null for none or another scheme. */
export function bearerToken(authorization: string | null | undefined): string | null {
  return authorization?.match(/^Bearer\s+(.+)$/i)?.[1] ?? null;
}

/** Compares in constant time, so the answer's timing does not tell how much of a guessed token was right. */
function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}
