export { checkMedia, AUDIO_FILE_NAME, type CheckMediaInput, type CheckedMedia } from './media-check.js';
export { DEFAULT_MEDIA_LIMITS, resolveMediaLimits, type MediaLimits } from './media-limits.js';
export { probeMedia, parseProbeOutput, type MediaProbe } from './ffprobe.js';
export { extractAudio, type ExtractAudioOptions } from './ffmpeg.js';
export type { VolumeStats } from '@introeval/audio';
export {
  TRUNCATED_BELOW_RATIO,
  TRUNCATED_MIN_GAP_SEC,
  classifyToolFailure,
  isSilent,
  isTruncated,
  judgeAudioDuration,
  judgeProbe,
  judgePromisedDuration,
  judgeSize,
  promisedDurationSec,
  type ProbeVerdict,
  type ToolFailureKind,
} from './media-rules.js';
export { mediaErrors } from './media-errors.js';
