import { ErrorCode, IntroEvalError } from '@introeval/contracts';
import { clock, fromToolFailure, mediaErrors } from './media-errors.js';
import { ToolExitError, ToolNotInstalledError, ToolOutputTooLargeError, ToolTimeoutError } from '@introeval/process';
import { MEDIA_TOOLS_PACKAGE } from './run-tool.js';

describe('mediaErrors', () => {
  it('builds permanent errors with the right code and a message that says what to do', () => {
    const cases: [IntroEvalError, ErrorCode][] = [
      [mediaErrors.empty(), ErrorCode.MediaEmpty],
      [mediaErrors.tooLarge(612 * 1024 * 1024, 500 * 1024 * 1024), ErrorCode.MediaTooLarge],
      [mediaErrors.unreadable(new Error('moov atom not found')), ErrorCode.MediaUnreadable],
      [mediaErrors.picture(), ErrorCode.MediaUnreadable],
      [mediaErrors.stalled(new Error('killed')), ErrorCode.MediaUnreadable],
      [mediaErrors.noAudio(), ErrorCode.MediaNoAudio],
      [mediaErrors.tooLong(660, 600), ErrorCode.MediaTooLong],
      [mediaErrors.truncated(15.2, 45), ErrorCode.MediaTruncated],
      [mediaErrors.tooShort(3.2, 10), ErrorCode.MediaTooShort],
      [mediaErrors.silent(), ErrorCode.MediaSilent],
    ];
    for (const [error, code] of cases) {
      expect(error).toBeInstanceOf(IntroEvalError);
      expect(error.permanent).toBe(true);
      expect(error.code).toBe(code);
      expect(error.message).toMatch(/upload|record/i);
      expect(error.message).not.toMatch(/ffmpeg|ffprobe|moov|stream map/i);
    }
  });

  it('puts the numbers a student needs into the message and keeps the technical cause aside', () => {
    expect(mediaErrors.tooLarge(612 * 1024 * 1024, 500 * 1024 * 1024).message).toContain('612 MB, more than the 500 MB limit');
    expect(mediaErrors.tooLarge(null, 500 * 1024 * 1024).message).toContain('larger than the 500 MB limit');
    expect(mediaErrors.tooLong(660, 600).message).toContain('11 min long; the limit is 10 min');
    expect(mediaErrors.tooLong(null, 600).message).toContain('longer than the 10 min limit');
    expect(mediaErrors.truncated(15.2, 45).message).toContain('45 s of recording, but only 15 s');
    expect(mediaErrors.tooShort(9.6, 10).message).toContain('only 9 s long; an introduction needs at least 10 s');
    const cause = new Error('moov atom not found');
    expect(mediaErrors.unreadable(cause).cause).toBe(cause);
  });
});

describe('clock', () => {
  it('says durations as people do', () => {
    expect(clock(45)).toBe('45 s');
    expect(clock(65.4)).toBe('1 min 5 s');
    expect(clock(600)).toBe('10 min');
    expect(clock(0.4)).toBe('0 s');
  });
});

describe('fromToolFailure', () => {
  const args = ['-i', 'x'];
  const exit = (stderr: string) => new ToolExitError('ffmpeg', args, 1, null, stderr);

  it('keeps a missing tool a plain, retryable error: not the student fault', () => {
    const missing = new ToolNotInstalledError('ffprobe', args, new Error('spawn ffprobe ENOENT'), MEDIA_TOOLS_PACKAGE);
    const mapped = fromToolFailure(missing);
    expect(mapped).toBe(missing);
    expect(mapped).not.toBeInstanceOf(IntroEvalError);
    expect(mapped.message).toContain('apt-get install -y ffmpeg');
  });

  it('keeps a full disk or unreadable upload directory retryable, with the tool error as cause', () => {
    const failure = exit('/work/job/audio-16k.wav: No space left on device');
    const mapped = fromToolFailure(failure);
    expect(mapped).not.toBeInstanceOf(IntroEvalError);
    expect(mapped.cause).toBe(failure);
  });

  it('turns what the file causes into permanent media errors, keeping the cause', () => {
    const noStreams = exit("Stream map '0:a:0' matches no streams.");
    expect(fromToolFailure(noStreams)).toMatchObject({ code: ErrorCode.MediaNoAudio, permanent: true, cause: noStreams });
    const damaged = exit('Error while decoding stream #0:0: Invalid data found when processing input');
    expect(fromToolFailure(damaged)).toMatchObject({ code: ErrorCode.MediaUnreadable, permanent: true, cause: damaged });
    const stalled = new ToolTimeoutError('ffmpeg', args, 60_000, '');
    expect(fromToolFailure(stalled)).toMatchObject({ code: ErrorCode.MediaUnreadable, cause: stalled });
    expect(fromToolFailure(new ToolOutputTooLargeError('ffprobe', args, 4096))).toMatchObject({ code: ErrorCode.MediaUnreadable });
    expect(fromToolFailure(new SyntaxError('Unexpected token'))).toMatchObject({ code: ErrorCode.MediaUnreadable });
  });

  it('passes other errors through untouched', () => {
    const other = new Error('EIO');
    expect(fromToolFailure(other)).toBe(other);
    expect(fromToolFailure('odd')).toBeInstanceOf(Error);
  });
});
