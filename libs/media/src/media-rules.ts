import { ErrorCode, type JobErrorCode } from '@introeval/contracts';
import type { MediaProbe } from './ffprobe.js';
import type { MediaLimits } from './media-limits.js';

// Pure decisions, kept apart from the processes that gather their inputs so each threshold is unit-tested.

/**
 * A recording is truncated when the decoded audio is shorter than the container promised by BOTH more than 10 %
 * and more than 2 s. Why both:
 * - Honest files differ by little, and by an absolute amount: AAC priming/padding adds ~0.02–0.05 s (measured: a
 *   52.505 s flite clip in MP4 decodes to 52.544 s), and a container's own duration can run ~1.2 s past its audio
 *   when the video track is longer (measured with `-shortest`), which is why the audio stream's duration is preferred
 *   when the header has it. The 2 s floor absorbs these, so a 12 s clip is not rejected over half a second.
 * - Estimated durations (bitrate-based, e.g. MP3 without a Xing header) err in proportion to length, so on a long file
 *   the 10 % ratio decides: a 10-minute claim must miss a full minute before we blame the upload.
 * - Real truncations are gross: a faststart MP4 cut to 40 % of its bytes claims 45 s and decodes to 15.2 s (0.34);
 *   20 kB of garbage in the middle of a 210 kB MP4 loses 4.7 s of 45 s (0.89) and is flagged too.
 */
export const TRUNCATED_BELOW_RATIO = 0.9;
export const TRUNCATED_MIN_GAP_SEC = 2;

/** What ffprobe's answer means for the checks. */
export type ProbeVerdict = 'ok' | 'unreadable' | 'picture' | 'no-audio';

/** Sorts a probe: no streams at all, a still picture or text, a video without sound, or something to extract. */
export function judgeProbe(probe: MediaProbe): ProbeVerdict {
  if (probe.hasAudio) return 'ok';
  if (probe.hasVideo) return 'no-audio';
  return probe.hasPicture ? 'picture' : 'unreadable';
}

/** The duration the file promises for its sound: the audio stream's own, else the container's, else unknown. */
export function promisedDurationSec(probe: MediaProbe): number | null {
  return probe.audioDurationSec ?? probe.durationSec;
}

/** MEDIA_EMPTY or MEDIA_TOO_LARGE from the upload size alone, or null. */
export function judgeSize(
  sizeBytes: number,
  limits: Pick<MediaLimits, 'maxBytes'>,
): JobErrorCode.MediaEmpty | JobErrorCode.MediaTooLarge | null {
  if (sizeBytes <= 0) return ErrorCode.MediaEmpty;
  if (sizeBytes > limits.maxBytes) return ErrorCode.MediaTooLarge;
  return null;
}

/** MEDIA_TOO_LONG when the header already says so (checked before spending time on extraction), else null. */
export function judgePromisedDuration(
  promisedSec: number | null,
  limits: Pick<MediaLimits, 'maxDurationSec'>,
): JobErrorCode.MediaTooLong | null {
  return promisedSec !== null && promisedSec > limits.maxDurationSec ? ErrorCode.MediaTooLong : null;
}

/** True when `audioSec` of decoded audio falls short of `promisedSec` by both thresholds above. */
export function isTruncated(audioSec: number, promisedSec: number | null): boolean {
  if (promisedSec === null) return false;
  return audioSec < TRUNCATED_BELOW_RATIO * promisedSec && promisedSec - audioSec > TRUNCATED_MIN_GAP_SEC;
}

/**
 * Judges the extracted audio's length, in the order the checks are reported: too long (for files whose header had
 * no duration, or a false one), truncated, then too short. A truncated file is reported as truncated even when what
 * is left is also too short: "upload it again" is the advice that helps.
 */
export function judgeAudioDuration(
  audioSec: number,
  promisedSec: number | null,
  limits: Pick<MediaLimits, 'maxDurationSec' | 'minDurationSec'>,
): JobErrorCode.MediaTooLong | JobErrorCode.MediaTruncated | JobErrorCode.MediaTooShort | null {
  if (audioSec > limits.maxDurationSec) return ErrorCode.MediaTooLong;
  if (isTruncated(audioSec, promisedSec)) return ErrorCode.MediaTruncated;
  if (audioSec < limits.minDurationSec) return ErrorCode.MediaTooShort;
  return null;
}

/** True when the loudest sample is below the silence threshold (see DEFAULT_MEDIA_LIMITS for the measurements). */
export function isSilent(maxDb: number, silenceDb: number): boolean {
  return maxDb < silenceDb;
}

/** Why ffprobe or ffmpeg failed: the file has no sound, the machine has a problem, or the file is damaged. */
export type ToolFailureKind = 'no-audio' | 'environment' | 'unreadable';

/**
 * Problems of the worker, not of the file: they must stay retryable instead of failing the student's job.
 * ffmpeg and ffprobe print the C library's strerror text.
 */
const ENVIRONMENT_ERRORS = /No space left on device|Permission denied|Read-only file system|Cannot allocate memory|Too many open files|No such file or directory/i;

/** Classifies ffmpeg's or ffprobe's error output. */
export function classifyToolFailure(stderr: string): ToolFailureKind {
  if (/matches no streams/i.test(stderr)) return 'no-audio';
  if (ENVIRONMENT_ERRORS.test(stderr)) return 'environment';
  return 'unreadable';
}
