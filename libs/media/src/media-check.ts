import { mkdir, rm, stat, symlink } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { ErrorCode } from '@introeval/contracts';
import { extractAudio } from './ffmpeg.js';
import { probeMedia, type MediaProbe } from './ffprobe.js';
import { fromToolFailure, mediaErrors } from './media-errors.js';
import { resolveMediaLimits, type MediaLimits } from './media-limits.js';
import {
  isSilent,
  judgeAudioDuration,
  judgeProbe,
  judgePromisedDuration,
  judgeSize,
  promisedDurationSec,
} from './media-rules.js';
import { measureWavVolume, readWavInfo, type VolumeStats } from '@introeval/audio';

export interface CheckMediaInput {
  /** The uploaded file. Its name and extension are ignored: only its content decides. */
  path: string;
  /** The upload's size; read from the file when left out. */
  sizeBytes?: number;
  /** A directory this job owns: the extracted audio is written here. */
  workDir: string;
  /** Overrides of DEFAULT_MEDIA_LIMITS (the app's validated config). */
  limits?: Partial<MediaLimits>;
  /** Aborting stops the running tool; the check rejects with the signal's reason. */
  signal?: AbortSignal;
}

export interface CheckedMedia {
  /** 16 kHz mono 16-bit PCM WAV in workDir, ready for speech-to-text. */
  audioPath: string;
  /** Seconds of audio actually decoded: the duration to trust. */
  durationSec: number;
  /** What the file's header promised (audio stream, else container); null when it states none (MediaRecorder WebM). */
  probedDurationSec: number | null;
  format: MediaProbe;
  volume: VolumeStats;
}

/** Name of the extracted audio inside workDir. */
export const AUDIO_FILE_NAME = 'audio-16k.wav';

/**
 * Checks an uploaded recording and extracts its audio, or throws a permanent IntroEvalError (MEDIA_*) whose message
 * tells the student what went wrong and what to do. Checks run cheapest first, in this order: EMPTY, TOO_LARGE,
 * UNREADABLE, NO_AUDIO, TOO_LONG (from the header, before extracting), then on the decoded audio TOO_LONG, TRUNCATED,
 * TOO_SHORT, SILENT. Problems of the machine (ffmpeg missing, disk full) throw plain, retryable Errors.
 */
export async function checkMedia(input: CheckMediaInput): Promise<CheckedMedia> {
  const limits = resolveMediaLimits(input.limits);
  const sizeBytes = input.sizeBytes ?? (await stat(input.path)).size;
  const sizeVerdict = judgeSize(sizeBytes, limits);
  if (sizeVerdict !== null) {
    throw sizeVerdict === ErrorCode.MediaEmpty ? mediaErrors.empty() : mediaErrors.tooLarge(sizeBytes, limits.maxBytes);
  }

  await mkdir(input.workDir, { recursive: true });
  const source = await contentOnlyName(input.path, input.workDir);
  const audioPath = join(input.workDir, AUDIO_FILE_NAME);
  try {
    const format = await probeMedia(source.path, { timeoutMs: limits.toolTimeoutMs, signal: input.signal }).catch((error: unknown) => {
      throw fromToolFailure(error);
    });
    const verdict = judgeProbe(format);
    switch (verdict) {
      case 'unreadable':
        throw mediaErrors.unreadable(new Error(`ffprobe found no audio or video streams (format "${format.formatName}")`));
      case 'picture':
        throw mediaErrors.picture();
      case 'no-audio':
        throw mediaErrors.noAudio();
      case 'ok':
        break;
    }

    const probedDurationSec = promisedDurationSec(format);
    if (judgePromisedDuration(probedDurationSec, limits) !== null) {
      throw mediaErrors.tooLong(probedDurationSec, limits.maxDurationSec);
    }

    // One second past the limit is enough to prove "too long" without decoding an arbitrarily long stream.
    await extractAudio(source.path, audioPath, {
      timeoutMs: limits.toolTimeoutMs,
      maxSeconds: limits.maxDurationSec + 1,
      signal: input.signal,
    }).catch((error: unknown) => {
      throw fromToolFailure(error);
    });
    const wav = await readWavInfo(audioPath);
    const { durationSec } = wav;
    switch (judgeAudioDuration(durationSec, probedDurationSec, limits)) {
      case ErrorCode.MediaTooLong:
        throw mediaErrors.tooLong(null, limits.maxDurationSec);
      case ErrorCode.MediaTruncated:
        throw mediaErrors.truncated(durationSec, probedDurationSec ?? durationSec);
      case ErrorCode.MediaTooShort:
        throw mediaErrors.tooShort(durationSec, limits.minDurationSec);
      case null:
        break;
    }

    const volume = await measureWavVolume(audioPath, wav, input.signal);
    if (isSilent(volume.maxDb, limits.silenceDb)) throw mediaErrors.silent();

    return { audioPath, durationSec, probedDurationSec, format, volume };
  } catch (error) {
    // A rejected file leaves nothing behind in the job's directory.
    await rm(audioPath, { force: true });
    throw error;
  } finally {
    await source.dispose();
  }
}

/**
 * ffprobe and ffmpeg use the file name's extension as a hint, so random bytes named `.bin` "are" a bintext video and
 * ones named `.sln` raw audio. Opening the upload through an extension-less link in the job's directory makes the
 * content alone decide. Falls back to the original path where links cannot be made.
 */
async function contentOnlyName(path: string, workDir: string): Promise<{ path: string; dispose(): Promise<void> }> {
  const link = join(workDir, 'uploaded-media');
  if (resolve(path) === resolve(link)) return { path, dispose: () => Promise.resolve() };
  try {
    await rm(link, { force: true });
    await symlink(resolve(path), link);
    return { path: link, dispose: () => rm(link, { force: true }) };
  } catch {
    return { path, dispose: () => Promise.resolve() };
  }
}
