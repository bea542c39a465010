import { DEFAULT_MEDIA_LIMITS, resolveMediaLimits } from './media-limits.js';

describe('resolveMediaLimits', () => {
  it('starts from the documented defaults', () => {
    expect(resolveMediaLimits()).toEqual({
      maxBytes: 500 * 1024 * 1024,
      maxDurationSec: 600,
      minDurationSec: 10,
      silenceDb: -50,
      toolTimeoutMs: 60_000,
    });
    expect(Object.isFrozen(DEFAULT_MEDIA_LIMITS)).toBe(true);
  });

  it('applies overrides and ignores undefined ones', () => {
    expect(resolveMediaLimits({ maxDurationSec: 300, silenceDb: undefined })).toMatchObject({ maxDurationSec: 300, silenceDb: -50 });
  });

  it.each([
    [{ maxBytes: 0 }, /maxBytes/],
    [{ maxDurationSec: Number.NaN }, /maxDurationSec/],
    [{ minDurationSec: -1 }, /minDurationSec/],
    [{ minDurationSec: 700 }, /below maxDurationSec/],
    [{ silenceDb: 3 }, /silenceDb/],
    [{ toolTimeoutMs: -5 }, /toolTimeoutMs/],
  ])('rejects the impossible %o (a deployment bug, not a student error)', (overrides, message) => {
    expect(() => resolveMediaLimits(overrides)).toThrow(message);
  });
});
