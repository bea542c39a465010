import { JobErrorCode, isPermanent, toJobErrorCode } from '@introeval/contracts';

/** What to do with a message whose handler failed. */
export type FailureStep =
  | { kind: 'fail'; code: JobErrorCode; message: string }
  | { kind: 'retry'; delayMs: number; message: string }
  | { kind: 'exhausted'; code: JobErrorCode.StageExhausted; message: string };

/**
 * Maps a handler error and the delivery count to fail now, retry later, or give up: the one place where this
 * transport turns an error's code into the job's.
 */
export function nextStep(error: unknown, deliveryCount: number, maxDeliver: number, backoffMs: number[]): FailureStep {
  const message = errorMessage(error);
  if (isPermanent(error)) return { kind: 'fail', code: toJobErrorCode(error.code), message };
  if (deliveryCount >= maxDeliver) return { kind: 'exhausted', code: JobErrorCode.StageExhausted, message };
  return { kind: 'retry', delayMs: backoffFor(deliveryCount, backoffMs), message };
}

/** The nak delay after the given (1-based) delivery failed. */
export function backoffFor(deliveryCount: number, backoffMs: number[]): number {
  if (backoffMs.length === 0) return 0;
  return backoffMs[Math.min(Math.max(deliveryCount - 1, 0), backoffMs.length - 1)];
}

export function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message;
  if (typeof error === 'object' && error !== null && typeof (error as { message?: unknown }).message === 'string') {
    return (error as { message: string }).message;
  }
  return String(error);
}
