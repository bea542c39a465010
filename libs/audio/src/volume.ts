import { readMonoSamples, type WavInfo } from './wav.js';

/** Loudness of a recording in dBFS: the average (RMS) and the loudest sample. Digital silence is -Infinity. */
export interface VolumeStats {
  meanDb: number;
  maxDb: number;
}

/** One second of 16 kHz audio per read: bounded memory whatever the recording's length. */
const CHUNK_SAMPLES = 16_000;
const FULL_SCALE = 32768;

/**
 * Measures a mono s16 WAV in-process, as ffmpeg's volumedetect would (RMS and peak relative to full scale), without
 * spawning a decoder for a file that is already plain PCM: the upload stage checks every submission this way.
 */
export async function measureWavVolume(path: string, info: WavInfo, signal?: AbortSignal): Promise<VolumeStats> {
  let sumSquares = 0;
  let peak = 0;
  for (let start = 0; start < info.frames; start += CHUNK_SAMPLES) {
    signal?.throwIfAborted();
    const samples = await readMonoSamples(path, info, start, CHUNK_SAMPLES);
    for (const sample of samples) {
      sumSquares += sample * sample;
      const magnitude = Math.abs(sample);
      if (magnitude > peak) peak = magnitude;
    }
  }
  const toDb = (ratio: number) => (ratio > 0 ? Math.round(200 * Math.log10(ratio)) / 10 : -Infinity);
  const rms = info.frames > 0 ? Math.sqrt(sumSquares / info.frames) : 0;
  return { meanDb: toDb(rms / FULL_SCALE), maxDb: toDb(peak / FULL_SCALE) };
}
