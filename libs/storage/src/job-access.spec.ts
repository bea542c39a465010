import { ErrorCode, IntroEvalError } from '@introeval/contracts';
import type { KV } from '@nats-io/kv';
import { bearerToken, JobAccess, type JobCredentials } from './job-access.js';
import { ReceiptSigner } from './receipts.js';

const ADMIN = 'admin-token-of-16+chars';
const JOB = '6f1d7a52-4a8b-4f5e-9a39-0c5a3b1e2d4f';
const OTHER = '0b9a3c1e-2d4f-4e5a-8b6c-7d8e9f0a1b2c';

/** The error authorize() throws, or a failure when it lets the caller through. */
function refusal(access: JobAccess, credentials: JobCredentials): IntroEvalError {
  try {
    access.authorize(JOB, credentials);
  } catch (error) {
    if (error instanceof IntroEvalError) return error;
    throw error;
  }
  throw new Error('authorize() let the caller through');
}

describe('JobAccess', () => {
  let receipts: ReceiptSigner;
  beforeAll(async () => {
    // A configured secret: the settings bucket is never touched.
    receipts = await ReceiptSigner.open(null as unknown as KV, 'receipt-secret-of-16+chars');
  });

  it("opens a job for its receipt, and any job for the admin token", () => {
    const access = new JobAccess(receipts, ADMIN);
    expect(access.authorize(JOB, { receipt: receipts.receiptFor(JOB), bearer: null })).toBe('owner');
    expect(access.authorize(JOB, { receipt: null, bearer: ADMIN })).toBe('admin');
  });

  it('refuses no credentials as UNAUTHORIZED and the wrong ones as FORBIDDEN, each with its message', () => {
    const access = new JobAccess(receipts, ADMIN);
    expect(refusal(access, { receipt: null, bearer: null })).toMatchObject({
      code: ErrorCode.Unauthorized,
      message: 'a receipt is required: send it as the X-Receipt header',
    });
    expect(refusal(access, { receipt: receipts.receiptFor(OTHER), bearer: null })).toMatchObject({
      code: ErrorCode.Forbidden,
      message: 'this receipt does not belong to that submission',
    });
    expect(refusal(access, { receipt: null, bearer: `${ADMIN}x` })).toMatchObject({
      code: ErrorCode.Forbidden,
      message: 'the admin token was not accepted',
    });
  });

  it('lets a bearer token decide alone, and refuses every one when no admin token is configured', () => {
    const receipt = receipts.receiptFor(JOB);
    expect(refusal(new JobAccess(receipts, ADMIN), { receipt, bearer: 'wrong' }).code).toBe(ErrorCode.Forbidden);
    const noAdmin = new JobAccess(receipts, null);
    expect(refusal(noAdmin, { receipt: null, bearer: ADMIN }).code).toBe(ErrorCode.Forbidden);
    expect(noAdmin.authorize(JOB, { receipt, bearer: null })).toBe('owner');
  });
  it('opens the admin views for the admin token only', () => {
    const access = new JobAccess(receipts, ADMIN);
    expect(access.authorizeAdmin({ receipt: null, bearer: ADMIN })).toBe('admin');
    const refused = (credentials: JobCredentials) => {
      try {
        access.authorizeAdmin(credentials);
      } catch (error) {
        return error as IntroEvalError;
      }
      throw new Error('authorizeAdmin() let the caller through');
    };
    expect(refused({ receipt: null, bearer: null }).code).toBe(ErrorCode.Unauthorized);
    expect(refused({ receipt: null, bearer: 'wrong-token-of-16+chars' }).code).toBe(ErrorCode.Forbidden);
    expect(refused({ receipt: receipts.receiptFor(JOB), bearer: null })).toMatchObject({
      code: ErrorCode.Forbidden,
      message: expect.stringContaining('a receipt opens only its own submission'),
    });
    expect(refused({ receipt: null, bearer: ADMIN.toUpperCase() }).code).toBe(ErrorCode.Forbidden);
    expect(() => new JobAccess(receipts, null).authorizeAdmin({ receipt: null, bearer: ADMIN })).toThrow(IntroEvalError);
  });
});

describe('bearerToken', () => {
  it('reads the Bearer scheme only', () => {
    expect(bearerToken('Bearer abc')).toBe('abc');
    expect(bearerToken('bearer  abc')).toBe('abc');
    expect(bearerToken('Basic abc')).toBeNull();
    expect(bearerToken(undefined)).toBeNull();
  });

});
