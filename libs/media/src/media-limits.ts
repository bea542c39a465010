/** What an uploaded recording must satisfy. The app validates its config and passes these in; nothing here reads env. */
export interface MediaLimits {
  /** Largest accepted upload, in bytes. */
  maxBytes: number;
  /** Longest accepted recording, in seconds of audio. */
  maxDurationSec: number;
  /** Shortest accepted recording, in seconds of audio: less cannot hold an introduction. */
  minDurationSec: number;
  /** A recording whose loudest sample is below this (dBFS) counts as silent. */
  silenceDb: number;
  /** Each ffprobe/ffmpeg run is killed after this long. */
  toolTimeoutMs: number;
}

/**
 * Defaults, and why:
 * - 500 MiB: a 10-minute 1080p phone video is ~150–400 MB; anything bigger is far past what an introduction needs.
 * - 600 s / 10 s: an introduction is 1–3 minutes; 10 s cannot hold one, 10 minutes is a generous ceiling.
 * - -50 dBFS peak: measured (flite speech, 16 kHz mono): speech peaks at -2 to -7 dBFS; the same speech 30 dB
 *   quieter (a far-away laptop microphone) peaks at -32 dBFS (-33 after AAC) and 40 dB quieter at -42 (-43 after
 *   AAC), and pocketsphinx still transcribes both. Digital silence (a muted microphone) measures -91 dBFS, also after
 *   AAC. So -50 dB rejects recordings with nothing in them and leaves ~7 dB below the quietest speech we accept.
 *   Speech 50 dB down (peaks -52) is rejected although clean synthetic speech is still recognisable there: in a
 *   real recording at that level the microphone's own noise floor would dominate.
 * - 60 s per tool run: extracting audio from a 10-minute file takes ~1–2 s on one core, so 60 s only trips on a
 *   file crafted to stall a decoder (or a machine so overloaded that failing is the right answer anyway).
 */
export const DEFAULT_MEDIA_LIMITS: Readonly<MediaLimits> = Object.freeze({
  maxBytes: 500 * 1024 * 1024,
  maxDurationSec: 600,
  minDurationSec: 10,
  silenceDb: -50,
  toolTimeoutMs: 60_000,
});

/**
 * The defaults with `overrides` applied. Throws a plain Error on impossible values: that is a deployment bug,
 * not something a student can fix.
 */
export function resolveMediaLimits(overrides: Partial<MediaLimits> = {}): MediaLimits {
  const limits: MediaLimits = { ...DEFAULT_MEDIA_LIMITS };
  for (const [key, value] of Object.entries(overrides) as [keyof MediaLimits, number | undefined][]) {
    if (value !== undefined) limits[key] = value;
  }
  const positive: (keyof MediaLimits)[] = ['maxBytes', 'maxDurationSec', 'toolTimeoutMs'];
  for (const key of positive) {
    if (!Number.isFinite(limits[key]) || limits[key] <= 0) throw new Error(`media limit ${key} must be > 0, got ${limits[key]}`);
  }
  if (!Number.isFinite(limits.minDurationSec) || limits.minDurationSec < 0) {
    throw new Error(`media limit minDurationSec must be >= 0, got ${limits.minDurationSec}`);
  }
  if (limits.minDurationSec >= limits.maxDurationSec) {
    throw new Error(`media limit minDurationSec (${limits.minDurationSec}) must be below maxDurationSec (${limits.maxDurationSec})`);
  }
  if (!Number.isFinite(limits.silenceDb) || limits.silenceDb >= 0) {
    throw new Error(`media limit silenceDb must be a negative dBFS value, got ${limits.silenceDb}`);
  }
  return limits;
}
