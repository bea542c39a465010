import { DEFAULT_MEDIA_LIMITS } from './media-limits.js';
import { runMediaTool } from './run-tool.js';

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
  await runMediaTool('ffmpeg', args, { timeoutMs, signal });
}
