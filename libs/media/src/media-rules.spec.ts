import { ErrorCode } from '@introeval/contracts';
import type { MediaProbe } from './ffprobe.js';
import { DEFAULT_MEDIA_LIMITS } from './media-limits.js';
import {
  classifyToolFailure,
  isSilent,
  isTruncated,
  judgeAudioDuration,
  judgeProbe,
  judgePromisedDuration,
  judgeSize,
  promisedDurationSec,
} from './media-rules.js';

const probe = (over: Partial<MediaProbe>): MediaProbe => ({
  formatName: 'mov,mp4,m4a,3gp,3g2,mj2',
  durationSec: null,
  audioDurationSec: null,
  hasAudio: false,
  hasVideo: false,
  hasPicture: false,
  audioCodec: null,
  audioSampleRate: null,
  audioChannels: null,
  videoCodec: null,
  width: null,
  height: null,
  streamCount: 0,
  ...over,
});

describe('judgeSize', () => {
  it('rejects empty and too-large uploads, and nothing else', () => {
    expect(judgeSize(0, DEFAULT_MEDIA_LIMITS)).toBe(ErrorCode.MediaEmpty);
    expect(judgeSize(DEFAULT_MEDIA_LIMITS.maxBytes + 1, DEFAULT_MEDIA_LIMITS)).toBe(ErrorCode.MediaTooLarge);
    expect(judgeSize(DEFAULT_MEDIA_LIMITS.maxBytes, DEFAULT_MEDIA_LIMITS)).toBeNull();
    expect(judgeSize(1, DEFAULT_MEDIA_LIMITS)).toBeNull();
  });
});

describe('judgeProbe', () => {
  it('sorts streams into ok, no-audio, picture and unreadable', () => {
    expect(judgeProbe(probe({ hasAudio: true }))).toBe('ok');
    expect(judgeProbe(probe({ hasAudio: true, hasPicture: true }))).toBe('ok'); // music with cover art
    expect(judgeProbe(probe({ hasVideo: true }))).toBe('no-audio');
    expect(judgeProbe(probe({ hasPicture: true }))).toBe('picture');
    expect(judgeProbe(probe({}))).toBe('unreadable');
  });
});

describe('promisedDurationSec', () => {
  it("prefers the audio stream's duration, because the container's follows the longest track", () => {
    expect(promisedDurationSec(probe({ durationSec: 53.734, audioDurationSec: 52.505 }))).toBe(52.505);
    expect(promisedDurationSec(probe({ durationSec: 53.734 }))).toBe(53.734);
    expect(promisedDurationSec(probe({}))).toBeNull();
  });
});

describe('judgePromisedDuration', () => {
  it('rejects a header that already states more than the limit; unknown durations wait for extraction', () => {
    expect(judgePromisedDuration(660, DEFAULT_MEDIA_LIMITS)).toBe(ErrorCode.MediaTooLong);
    expect(judgePromisedDuration(600, DEFAULT_MEDIA_LIMITS)).toBeNull();
    expect(judgePromisedDuration(null, DEFAULT_MEDIA_LIMITS)).toBeNull();
  });
});

describe('isTruncated', () => {
  it.each([
    // decoded, promised, truncated?, what it is
    [15.232, 45, true, 'faststart MP4 cut to 40 % of its bytes (measured)'],
    [40.256, 45, true, '20 kB of garbage in the middle of the MP4 (measured)'],
    [52.544, 52.505, false, 'AAC priming makes the decoded audio slightly longer (measured)'],
    [52.505, 53.734, false, 'container duration 1.2 s past the audio when the video is longer (measured)'],
    [9, 12, true, 'short file: 3 s missing is 25 %'],
    [10.5, 12, false, 'short file: 1.5 s missing is under the 2 s floor'],
    [560, 600, false, 'long file: 40 s missing is under 10 %'],
    [530, 600, true, 'long file: 70 s missing is over 10 %'],
    [30, null, false, 'no promised duration (MediaRecorder WebM): nothing to compare'],
  ])('%p s decoded of %p s promised -> %p (%s)', (decoded, promised, expected, _what) => {
    expect(isTruncated(decoded, promised)).toBe(expected);
  });
});

describe('judgeAudioDuration', () => {
  const limits = DEFAULT_MEDIA_LIMITS;
  it('reports too long, then truncated, then too short', () => {
    expect(judgeAudioDuration(601, null, limits)).toBe(ErrorCode.MediaTooLong);
    expect(judgeAudioDuration(5, 45, limits)).toBe(ErrorCode.MediaTruncated); // also too short: truncated wins
    expect(judgeAudioDuration(3.1, 3.2, limits)).toBe(ErrorCode.MediaTooShort);
    expect(judgeAudioDuration(3.1, null, limits)).toBe(ErrorCode.MediaTooShort);
    expect(judgeAudioDuration(52.5, 52.5, limits)).toBeNull();
    expect(judgeAudioDuration(10, null, limits)).toBeNull();
    expect(judgeAudioDuration(600, 600, limits)).toBeNull();
  });
});

describe('isSilent', () => {
  it('separates a muted microphone from quiet speech (measured peaks)', () => {
    expect(isSilent(-91, DEFAULT_MEDIA_LIMITS.silenceDb)).toBe(true); // digital silence, also after AAC
    expect(isSilent(-52.1, DEFAULT_MEDIA_LIMITS.silenceDb)).toBe(true); // speech 50 dB down: treated as nothing
    expect(isSilent(-42.1, DEFAULT_MEDIA_LIMITS.silenceDb)).toBe(false); // speech 40 dB down: still transcribed
    expect(isSilent(-2.1, DEFAULT_MEDIA_LIMITS.silenceDb)).toBe(false); // normal flite speech
  });
});

describe('classifyToolFailure', () => {
  it('tells a missing sound track, a machine problem and a damaged file apart', () => {
    expect(classifyToolFailure("Stream map '0:a:0' matches no streams.\nTo ignore this, add a trailing '?' to the map.")).toBe(
      'no-audio',
    );
    expect(classifyToolFailure('/work/audio-16k.wav: No space left on device')).toBe('environment');
    expect(classifyToolFailure('/uploads/x: Permission denied')).toBe('environment');
    expect(classifyToolFailure('[mp3float @ 0x5621] Header missing\nError while decoding stream #0:0: Invalid data found')).toBe(
      'unreadable',
    );
    expect(classifyToolFailure('Decoder (codec none) not found for input stream #0:0')).toBe('unreadable');
    expect(classifyToolFailure('')).toBe('unreadable');
  });
});
