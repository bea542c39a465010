import { DEFAULT_MEDIA_LIMITS } from './media-limits.js';
import { runMediaTool } from './run-tool.js';

/** What ffprobe found in a file, reduced to what the media checks need. */
export interface MediaProbe {
  /** ffprobe's demuxer name, e.g. `mov,mp4,m4a,3gp,3g2,mj2` or `matroska,webm`. */
  formatName: string;
  /** The container's duration; null when the header has none (a browser MediaRecorder WebM). */
  durationSec: number | null;
  /** The first audio stream's own duration, null when unknown; more precise than the container's (see below). */
  audioDurationSec: number | null;
  /** At least one audio stream. */
  hasAudio: boolean;
  /** At least one moving-picture video stream (cover art and still images do not count). */
  hasVideo: boolean;
  /** A still picture or text drawn as one (png, jpeg, ANSI art): a file that is an image, not a recording. */
  hasPicture: boolean;
  audioCodec: string | null;
  audioSampleRate: number | null;
  audioChannels: number | null;
  videoCodec: string | null;
  width: number | null;
  height: number | null;
  /** Audio, video and picture streams (subtitle and data streams are ignored). */
  streamCount: number;
}

/** ffprobe's JSON, as far as we read it. Every field is optional: ffprobe leaves out what it does not know. */
interface FfprobeJson {
  format?: { format_name?: string; duration?: string };
  streams?: {
    codec_type?: string;
    codec_name?: string;
    duration?: string;
    sample_rate?: string;
    channels?: number;
    width?: number;
    height?: number;
    disposition?: { attached_pic?: number; still_image?: number };
  }[];
}

/**
 * Demuxers that turn a picture or a text file into a "video" stream. The image ones are `*_pipe` and `image2`;
 * the text ones (tty, bin, xbin, adf, idf) render ANSI art and are chosen by file extension alone, e.g. random bytes
 * named `.bin` probe as a `bintext` video. Anything from these is a picture, not a recording.
 */
const PICTURE_FORMATS = new Set(['image2', 'gif', 'tty', 'bin', 'xbin', 'adf', 'idf', 'apng']);

/** Runs `ffprobe -v error -of json -show_format -show_streams` on `path`; rejects with a ToolError on failure. */
export async function probeMedia(
  path: string,
  { timeoutMs = DEFAULT_MEDIA_LIMITS.toolTimeoutMs, signal }: { timeoutMs?: number; signal?: AbortSignal } = {},
): Promise<MediaProbe> {
  // `file:` keeps a name like `-x.mp4` or `http:...` from being read as an option or a URL.
  const { stdout } = await runMediaTool('ffprobe', ['-v', 'error', '-of', 'json', '-show_format', '-show_streams', `file:${path}`], {
    timeoutMs,
    signal,
  });
  return parseProbeOutput(stdout);
}

/** Turns ffprobe's JSON into a MediaProbe. Throws a SyntaxError when `json` is not JSON. */
export function parseProbeOutput(json: string): MediaProbe {
  const parsed = JSON.parse(json) as FfprobeJson;
  const formatName = parsed.format?.format_name ?? '';
  const pictureFormat = PICTURE_FORMATS.has(formatName) || formatName.endsWith('_pipe');
  const streams = parsed.streams ?? [];
  const audio = streams.filter((s) => s.codec_type === 'audio');
  const visual = streams.filter((s) => s.codec_type === 'video');
  const isPicture = (s: (typeof visual)[number]): boolean =>
    pictureFormat || s.disposition?.attached_pic === 1 || s.disposition?.still_image === 1;
  const video = visual.filter((s) => !isPicture(s));
  const firstAudio = audio[0];
  const firstVideo = video[0];
  return {
    formatName,
    durationSec: positiveNumber(parsed.format?.duration),
    audioDurationSec: positiveNumber(firstAudio?.duration),
    hasAudio: audio.length > 0,
    hasVideo: video.length > 0,
    hasPicture: visual.some(isPicture),
    audioCodec: firstAudio?.codec_name ?? null,
    audioSampleRate: positiveNumber(firstAudio?.sample_rate),
    audioChannels: positiveNumber(firstAudio?.channels),
    videoCodec: firstVideo?.codec_name ?? null,
    width: positiveNumber(firstVideo?.width),
    height: positiveNumber(firstVideo?.height),
    streamCount: audio.length + visual.length,
  };
}

/** ffprobe prints numbers such as durations as decimal strings, or leaves them out (older versions print "N/A"). */
function positiveNumber(value: string | number | undefined): number | null {
  if (value === undefined) return null;
  const n = typeof value === 'number' ? value : Number(value);
  return Number.isFinite(n) && n > 0 ? n : null;
}
