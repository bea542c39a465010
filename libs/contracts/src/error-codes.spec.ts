import { ErrorCode, isJobErrorCode, JobErrorCode, RequestErrorCode, toJobErrorCode } from './error-codes.js';

describe('error codes', () => {
  // The strings are the API (job records, dead letters, HTTP bodies, the CLI's output): they must not drift.
  it('keeps every code string, each in one half only', () => {
    expect(Object.values(JobErrorCode).sort()).toEqual([
      'ENGINE_INVALID_OUTPUT',
      'ENGINE_UNAVAILABLE',
      'INTERNAL',
      'INVALID_INPUT',
      'MEDIA_EMPTY',
      'MEDIA_NO_AUDIO',
      'MEDIA_SILENT',
      'MEDIA_TOO_LARGE',
      'MEDIA_TOO_LONG',
      'MEDIA_TOO_SHORT',
      'MEDIA_TRUNCATED',
      'MEDIA_UNREADABLE',
      'RESIDENCY_REFUSED',
      'RESIDENCY_TIMEOUT',
      'STAGE_EXHAUSTED',
      'TRANSCRIPT_EMPTY',
    ]);
    expect(Object.values(RequestErrorCode).sort()).toEqual([
      'FORBIDDEN',
      'IDEMPOTENCY_KEY_REUSED',
      'NOT_FOUND',
      'UNAUTHORIZED',
      'UNAVAILABLE',
      'UNSUPPORTED_MEDIA_TYPE',
    ]);
    expect(Object.keys(ErrorCode)).toHaveLength(Object.keys(JobErrorCode).length + Object.keys(RequestErrorCode).length);
    expect(ErrorCode.MediaEmpty).toBe(JobErrorCode.MediaEmpty);
    expect(ErrorCode.NotFound).toBe(RequestErrorCode.NotFound);
  });

  it('tells job codes from anything else', () => {
    expect(isJobErrorCode('STAGE_EXHAUSTED')).toBe(true);
    expect(isJobErrorCode('NOT_FOUND')).toBe(false);
    expect(isJobErrorCode('LEASE_CONFLICT')).toBe(false);
  });

  it('keeps a job code and fails a job that ended on a request code as INTERNAL', () => {
    expect(toJobErrorCode(ErrorCode.MediaNoAudio)).toBe(JobErrorCode.MediaNoAudio);
    for (const code of Object.values(RequestErrorCode)) expect(toJobErrorCode(code)).toBe(JobErrorCode.Internal);
  });
});
