import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ErrorCode, IntroEvalError } from '@introeval/contracts';
import {
  STRONG_INTRO,
  TOO_LONG_SEC,
  TRUNCATED_SOURCE_SEC,
  corruptAudio,
  emptyFile,
  largeFile,
  mp4FromWav,
  pictureFile,
  randomBytes,
  recorderWebm,
  silentMp4,
  speechWav,
  textFileNamedMp4,
  tooLongMp4,
  tooShortMp4,
  truncatedMp4,
  videoWithoutAudio,
} from '@introeval/testing';
import { checkMedia, type CheckMediaInput } from './media-check.js';
import { parseWavHeader, readWavInfo } from '@introeval/audio';

// Real ffprobe/ffmpeg on media generated here (flite speech, lavfi video). Every bad file must give its exact code.

describe('checkMedia', () => {
  let dir: string;
  let fixtures: string;
  let speech: string;
  let speechSec: number;
  let jobs = 0;

  /** Each check gets its own work directory, as each job does. */
  const check = (path: string, extra: Partial<CheckMediaInput> = {}) =>
    checkMedia({ path, workDir: join(dir, `job-${++jobs}`), ...extra });

  /** The IntroEvalError a check rejects with (fails the test if it resolves). */
  const rejection = async (path: string, extra: Partial<CheckMediaInput> = {}): Promise<IntroEvalError> => {
    const error = await check(path, extra).then(
      () => new Error('expected the check to reject'),
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(IntroEvalError);
    return error as IntroEvalError;
  };

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'introeval-media-'));
    fixtures = join(dir, 'fixtures');
    speech = await speechWav(STRONG_INTRO, 'slt', fixtures);
    speechSec = (await readWavInfo(speech)).durationSec;
    // Made up front and in parallel: the slowest (WebM, ~1 s) then sets the pace, not the sum.
    await Promise.all([
      mp4FromWav(speech, fixtures),
      mp4FromWav(speech, fixtures, { gainDb: -40 }),
      recorderWebm(speech, fixtures),
      truncatedMp4(speech, fixtures),
      tooLongMp4(fixtures),
      tooShortMp4(fixtures),
      silentMp4(fixtures),
      videoWithoutAudio(fixtures),
    ]);
  }, 60_000);

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  describe('accepts', () => {
    it('a good MP4: 16 kHz mono audio as long as the speech', async () => {
      const result = await check(await mp4FromWav(speech, fixtures));
      expect(Math.abs(result.durationSec - speechSec)).toBeLessThan(1);
      expect(Math.abs(result.probedDurationSec! - speechSec)).toBeLessThan(1);
      expect(result.format).toMatchObject({ hasAudio: true, hasVideo: true, audioCodec: 'aac', videoCodec: 'h264' });
      expect(result.volume.maxDb).toBeGreaterThan(-10);
      const wav = await readFile(result.audioPath);
      expect(parseWavHeader(wav, wav.length)).toMatchObject({ sampleRate: 16000, channels: 1, bitsPerSample: 16, dataOffset: 44 });
    });

    it('a MediaRecorder WebM without a duration in its header, timed from its audio', async () => {
      const result = await check(await recorderWebm(speech, fixtures));
      expect(result.format.durationSec).toBeNull();
      expect(result.probedDurationSec).toBeNull();
      expect(Math.abs(result.durationSec - speechSec)).toBeLessThan(1);
      expect(result.format).toMatchObject({ formatName: 'matroska,webm', audioCodec: 'opus', videoCodec: 'vp8' });
    });

    it('quiet but present speech (40 dB down, peaks near -42 dB)', async () => {
      const result = await check(await mp4FromWav(speech, fixtures, { gainDb: -40 }));
      expect(result.volume.maxDb).toBeLessThan(-38);
      expect(result.volume.maxDb).toBeGreaterThan(-50);
    });

    it('a plain WAV, reading its size from the file when none is given', async () => {
      const result = await check(speech);
      expect(Math.abs(result.durationSec - speechSec)).toBeLessThan(0.01);
      expect(result.format.hasVideo).toBe(false);
    });
  });

  describe('rejects', () => {
    it('an empty file: MEDIA_EMPTY', async () => {
      const error = await rejection(await emptyFile(fixtures), { sizeBytes: 0 });
      expect(error.code).toBe(ErrorCode.MediaEmpty);
      expect(error.message).toMatch(/empty/);
    });

    it('a file over the size limit, before reading it: MEDIA_TOO_LARGE', async () => {
      const large = await largeFile(501 * 1024 * 1024, fixtures);
      const error = await rejection(large);
      expect(error.code).toBe(ErrorCode.MediaTooLarge);
      expect(error.message).toContain('501 MB, more than the 500 MB limit');
    });

    it.each(['mp4', 'bin', 'sln'])('random bytes named .%s: MEDIA_UNREADABLE (content decides, not the name)', async (ext) => {
      // Named .sln, ffprobe alone would read these bytes as 8 s of raw audio; .bin as an ANSI-art "video".
      const error = await rejection(await randomBytes(fixtures, { ext }));
      expect(error.code).toBe(ErrorCode.MediaUnreadable);
      expect(error.message).toMatch(/could not read this file/);
      expect(error.cause).toBeDefined();
    });

    it('a text file named .mp4: MEDIA_UNREADABLE', async () => {
      const error = await rejection(await textFileNamedMp4(fixtures));
      expect(error.code).toBe(ErrorCode.MediaUnreadable);
    });

    it('a picture: MEDIA_UNREADABLE, saying it is not a recording', async () => {
      const error = await rejection(await pictureFile(fixtures));
      expect(error.code).toBe(ErrorCode.MediaUnreadable);
      expect(error.message).toMatch(/picture/);
    });

    it('audio that ffmpeg cannot decode mid-stream: MEDIA_UNREADABLE with the ffmpeg error as cause', async () => {
      const error = await rejection(await corruptAudio(fixtures));
      expect(error.code).toBe(ErrorCode.MediaUnreadable);
      expect(String((error.cause as Error).message)).toMatch(/ffmpeg exited with status \d+:.*(Invalid data|Header missing)/);
    });

    it('a video without a sound track: MEDIA_NO_AUDIO', async () => {
      const error = await rejection(await videoWithoutAudio(fixtures));
      expect(error.code).toBe(ErrorCode.MediaNoAudio);
      expect(error.message).toBe('The file has no sound track. Record again with your microphone on, then upload the new file.');
    });

    it('an 11-minute MP4 from its header alone, before extracting: MEDIA_TOO_LONG', async () => {
      const workDir = join(dir, 'too-long-job');
      const error = await rejection(await tooLongMp4(fixtures), { workDir });
      expect(error.code).toBe(ErrorCode.MediaTooLong);
      // Only the header knows the exact length: extraction stops 1 s past the limit and would say "longer than".
      expect(error.message).toContain(`${TOO_LONG_SEC / 60} min long; the limit is 10 min`);
      expect(await readdir(workDir)).toEqual([]);
    });

    it('a duration-less WebM found too long after extracting: MEDIA_TOO_LONG', async () => {
      const error = await rejection(await recorderWebm(speech, fixtures), { limits: { maxDurationSec: 30 } });
      expect(error.code).toBe(ErrorCode.MediaTooLong);
      expect(error.message).toContain('longer than the 30 s limit');
    });

    it('an MP4 cut short whose header claims the full length: MEDIA_TRUNCATED', async () => {
      const error = await rejection(await truncatedMp4(speech, fixtures));
      expect(error.code).toBe(ErrorCode.MediaTruncated);
      expect(error.message).toMatch(new RegExp(`should hold ${TRUNCATED_SOURCE_SEC} s of recording, but only 1[0-9] s`));
    });

    it('3 s of speech: MEDIA_TOO_SHORT', async () => {
      const error = await rejection(await tooShortMp4(fixtures));
      expect(error.code).toBe(ErrorCode.MediaTooShort);
      expect(error.message).toMatch(/only [2-4] s long; an introduction needs at least 10 s/);
    });

    it('a sound track of digital silence: MEDIA_SILENT, leaving no audio behind', async () => {
      const workDir = join(dir, 'silent-job');
      const error = await rejection(await silentMp4(fixtures), { workDir });
      expect(error.code).toBe(ErrorCode.MediaSilent);
      expect(error.message).toMatch(/microphone/);
      expect(await readdir(workDir)).toEqual([]);
    });

    it('a file whose tools run past toolTimeoutMs, killing them: MEDIA_UNREADABLE', async () => {
      const error = await rejection(await mp4FromWav(speech, fixtures), { limits: { toolTimeoutMs: 1 } });
      expect(error.code).toBe(ErrorCode.MediaUnreadable);
      expect(error.message).toMatch(/took far too long/);
    });
  });
});
