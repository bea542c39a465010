import { ErrorCode, IntroEvalError } from '@introeval/contracts';
import { classifyToolFailure } from './media-rules.js';
import { ToolExitError, ToolNotInstalledError, ToolOutputTooLargeError, ToolTimeoutError } from '@introeval/process';

// The student reads these messages: each says what is wrong with the file and what to do next, in plain words.
// Technical detail (ffmpeg's output) goes into `cause`, for logs and admins.

/** Builders for the permanent errors checkMedia throws, one per way a recording can be unusable. */
export const mediaErrors = {
  empty: (): IntroEvalError =>
    IntroEvalError.permanent(
      ErrorCode.MediaEmpty,
      'The uploaded file is empty (0 bytes). Make sure the recording finished saving, then upload it again.',
    ),

  /** `sizeBytes` is null while an upload is still streaming in: only "over the limit" is known then. */
  tooLarge: (sizeBytes: number | null, maxBytes: number): IntroEvalError =>
    IntroEvalError.permanent(
      ErrorCode.MediaTooLarge,
      `The file is ${sizeBytes === null ? 'larger than' : `${megabytes(sizeBytes)}, more than`} the ` +
        `${megabytes(maxBytes)} limit. Upload a shorter recording, or export it at a lower quality, and try again.`,
    ),

  unreadable: (cause?: unknown): IntroEvalError =>
    IntroEvalError.permanent(
      ErrorCode.MediaUnreadable,
      'We could not read this file as a video or audio recording: it is damaged or not a recording. ' +
        'Record or export it again (MP4 or WebM work best) and upload the new file.',
      cause,
    ),

  picture: (): IntroEvalError =>
    IntroEvalError.permanent(
      ErrorCode.MediaUnreadable,
      'This file is a picture or a text document, not a recording. Upload the video or audio of your introduction.',
    ),

  stalled: (cause: unknown): IntroEvalError =>
    IntroEvalError.permanent(
      ErrorCode.MediaUnreadable,
      'Reading this file took far too long, so it is probably damaged. Record or export it again and upload the new file.',
      cause,
    ),

  noAudio: (cause?: unknown): IntroEvalError =>
    IntroEvalError.permanent(
      ErrorCode.MediaNoAudio,
      'The file has no sound track. Record again with your microphone on, then upload the new file.',
      cause,
    ),

  tooLong: (durationSec: number | null, maxSec: number): IntroEvalError =>
    IntroEvalError.permanent(
      ErrorCode.MediaTooLong,
      (durationSec === null || durationSec <= maxSec + 1
        ? `The recording is longer than the ${clock(maxSec)} limit. `
        : `The recording is ${clock(durationSec)} long; the limit is ${clock(maxSec)}. `) +
        'Record a shorter introduction and upload it.',
    ),

  truncated: (audioSec: number, promisedSec: number): IntroEvalError =>
    IntroEvalError.permanent(
      ErrorCode.MediaTruncated,
      `The file is incomplete: it should hold ${clock(promisedSec)} of recording, but only ${clock(audioSec)} could be ` +
        'read. The upload or the recording was probably cut off; upload the complete file again.',
    ),

  tooShort: (audioSec: number, minSec: number): IntroEvalError =>
    IntroEvalError.permanent(
      ErrorCode.MediaTooShort,
      `The recording is only ${clock(audioSec)} long; an introduction needs at least ${clock(minSec)}. ` +
        'Record a longer introduction and upload it.',
    ),

  silent: (): IntroEvalError =>
    IntroEvalError.permanent(
      ErrorCode.MediaSilent,
      'The recording is silent: no sound was picked up. Check that your microphone is connected and not muted, ' +
        'then record again.',
    ),
};

/**
 * Maps a failure of ffprobe/ffmpeg on the student's file: damaged or hostile input becomes a permanent
 * MEDIA_UNREADABLE (or MEDIA_NO_AUDIO) with the tool's output kept as the cause; a problem of this machine
 * (tool missing, disk full, file not found) stays a plain Error so the job is retried.
 */
export function fromToolFailure(error: unknown): IntroEvalError | Error {
  if (error instanceof ToolNotInstalledError) return error;
  if (error instanceof ToolTimeoutError) return mediaErrors.stalled(error);
  if (error instanceof ToolOutputTooLargeError) return mediaErrors.unreadable(error);
  if (error instanceof SyntaxError) return mediaErrors.unreadable(error); // ffprobe printed something that is not JSON
  if (error instanceof ToolExitError) {
    switch (classifyToolFailure(error.stderr)) {
      case 'no-audio':
        return mediaErrors.noAudio(error);
      case 'unreadable':
        return mediaErrors.unreadable(error);
      case 'environment':
        return new Error(`cannot process media on this machine: ${error.message}`, { cause: error });
    }
  }
  return error instanceof Error ? error : new Error(String(error));
}

/** "45 s", "1 min 5 s", "10 min": how a person says a duration. */
export function clock(seconds: number): string {
  // Rounded down, so a 9.6 s clip is never described as "10 s" next to a 10 s minimum.
  const total = Math.floor(seconds);
  const min = Math.floor(total / 60);
  const sec = total % 60;
  if (min === 0) return `${sec} s`;
  return sec === 0 ? `${min} min` : `${min} min ${sec} s`;
}

function megabytes(bytes: number): string {
  return `${Math.round(bytes / (1024 * 1024))} MB`;
}
