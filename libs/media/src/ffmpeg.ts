import { DEFAULT_MEDIA_LIMITS } from './media-limits.js';
import { runTool } from './run-tool.js';

export interface ExtractAudioOptions {
  timeoutMs?: number;
  signal?: AbortSignal;
  /**
   * Stop after this many seconds of audio. A file whose header states no duration (or a false one) could otherwise
   * make us decode hours of audio onto the worker's disk; capping just past the limit still proves it is too long.
   */
  maxSeconds?: number;
}

/**
 * Decodes the first audio stream of `input` into `outputWav`: 16 kHz mono 16-bit PCM, which every speech engine
 * takes, with a plain 44-byte header (`-map_metadata -1 -fflags +bitexact`). Rejects with a ToolError on failure;
 * a file without audio fails with "Stream map '0:a:0' matches no streams" in the error's stderr.
 */
export async function extractAudio(
  input: string,
  outputWav: string,
  { timeoutMs = DEFAULT_MEDIA_LIMITS.toolTimeoutMs, maxSeconds, signal }: ExtractAudioOptions = {},
): Promise<void> {
  const limit = maxSeconds === undefined ? [] : ['-t', String(maxSeconds)];
  // `file:` keeps odd names from being read as options or protocols; `-f wav` so the output never depends on a name.
  const args = ['-nostdin', '-hide_banner', '-loglevel', 'error', '-y', '-i', `file:${input}`, '-vn', '-map', '0:a:0'];
  args.push('-ac', '1', '-ar', '16000', '-c:a', 'pcm_s16le', '-map_metadata', '-1', '-fflags', '+bitexact');
  args.push(...limit, '-f', 'wav', `file:${outputWav}`);
  await runTool('ffmpeg', args, { timeoutMs, signal });
}

/** Loudness of a recording in dBFS: the average and the loudest sample. */
export interface VolumeStats {
  meanDb: number;
  maxDb: number;
}

/** Measures `wav` with ffmpeg's volumedetect filter (digital silence reads about -91 dB). */
export async function measureVolume(
  wav: string,
  { timeoutMs = DEFAULT_MEDIA_LIMITS.toolTimeoutMs, signal }: { timeoutMs?: number; signal?: AbortSignal } = {},
): Promise<VolumeStats> {
  // volumedetect reports at log level "info"; -nostats keeps progress lines out of the captured stderr.
  const args = ['-nostdin', '-hide_banner', '-nostats', '-loglevel', 'info', '-i', `file:${wav}`];
  args.push('-map', '0:a:0', '-af', 'volumedetect', '-f', 'null', '-');
  const { stderr } = await runTool('ffmpeg', args, { timeoutMs, signal });
  const stats = parseVolumedetect(stderr);
  if (!stats) throw new Error(`volumedetect printed no summary for ${wav} (no audio samples?)`);
  return stats;
}

/** Reads `mean_volume: X dB` and `max_volume: Y dB` from volumedetect's log; null when either is missing. */
export function parseVolumedetect(stderr: string): VolumeStats | null {
  const read = (name: string): number | null => {
    const match = new RegExp(`${name}:\\s*(-?inf|-?[0-9.]+)\\s*dB`).exec(stderr);
    if (!match?.[1]) return null;
    return match[1].endsWith('inf') ? (match[1].startsWith('-') ? -Infinity : Infinity) : Number(match[1]);
  };
  const meanDb = read('mean_volume');
  const maxDb = read('max_volume');
  return meanDb === null || maxDb === null ? null : { meanDb, maxDb };
}
