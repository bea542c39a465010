import { describe, expect, it } from '@jest/globals';
import { abortReason } from './abort-reason.js';

describe('abortReason', () => {
  it('returns an Error reason as it is', () => {
    const reason = new Error('stage deadline');
    expect(abortReason(AbortSignal.abort(reason))).toBe(reason);
  });

  it("keeps the platform's AbortError for a bare abort()", () => {
    expect(abortReason(AbortSignal.abort())).toMatchObject({ name: 'AbortError' });
  });

  it('wraps any other reason in an AbortError that keeps it as the cause', () => {
    const error = abortReason(AbortSignal.abort(42));
    expect(error).toBeInstanceOf(Error);
    expect(error).toMatchObject({ name: 'AbortError', message: 'aborted: 42', cause: 42 });
  });
});
