import { ErrorCode, IntroEvalError } from '@introeval/contracts';
import { backoffFor, errorMessage, nextStep } from './retry.policy.js';

describe('nextStep', () => {
  const backoff = [100, 1000, 5000];

  it('fails a permanent error at once with its own code, whatever the delivery', () => {
    const error = IntroEvalError.permanent(ErrorCode.MediaNoAudio, 'no audio track');
    expect(nextStep(error, 1, 5, backoff)).toEqual({ kind: 'fail', code: ErrorCode.MediaNoAudio, message: 'no audio track' });
  });

  it('fails a permanent request error (a job record that vanished) as INTERNAL: a job never ends on a request code', () => {
    const error = IntroEvalError.permanent(ErrorCode.NotFound, 'job j-1 does not exist');
    expect(nextStep(error, 1, 5, backoff)).toEqual({ kind: 'fail', code: ErrorCode.Internal, message: 'job j-1 does not exist' });
  });

  it('retries a transient error with the backoff of its attempt', () => {
    expect(nextStep(new Error('timeout'), 1, 5, backoff)).toEqual({ kind: 'retry', delayMs: 100, message: 'timeout' });
    expect(nextStep(new Error('timeout'), 2, 5, backoff)).toMatchObject({ kind: 'retry', delayMs: 1000 });
    const transient = new IntroEvalError(ErrorCode.Internal, 'busy', false);
    expect(nextStep(transient, 3, 5, backoff)).toMatchObject({ kind: 'retry', delayMs: 5000 });
  });

  it('gives up on the last delivery', () => {
    expect(nextStep(new Error('down'), 5, 5, backoff)).toEqual({
      kind: 'exhausted',
      code: ErrorCode.StageExhausted,
      message: 'down',
    });
  });
});

describe('backoffFor', () => {
  it('keeps using the last delay once the list runs out, and 0 without a list', () => {
    expect(backoffFor(9, [10, 20])).toBe(20);
    expect(backoffFor(1, [])).toBe(0);
  });
});

describe('errorMessage', () => {
  it('reads errors, message-bearing objects and anything else', () => {
    expect(errorMessage(new Error('a'))).toBe('a');
    expect(errorMessage({ status: 'error', message: 'b' })).toBe('b');
    expect(errorMessage(42)).toBe('42');
  });
});
