import { readMonoSamples, type WavInfo } from '@introeval/audio';

/** A span of sample frames [start, end) of one audio file. */
export interface AudioChunk {
  start: number;
  end: number;
}

export interface ChunkPlanOptions {
  /** How many chunks to aim for. */
  count: number;
  /** How far (seconds) either side of an even split point to look for a pause. */
  searchSec: number;
  /** Length of the quiet window that a cut must sit in (seconds); about one short pause between words. */
  windowSec: number;
}

/** Energy is summed over 10 ms hops: fine enough to land inside a 200 ms pause, cheap enough to scan seconds. */
const HOP_SEC = 0.01;

/**
 * Splits audio into `count` chunks for parallel recognition, cutting each boundary in the quietest window found
 * within `searchSec` of the even split point, so that no word is cut in half where a pause exists nearby. Reads
 * only the search regions from disk, so memory stays small however long the audio is.
 */
export async function planChunks(path: string, info: WavInfo, options: ChunkPlanOptions): Promise<AudioChunk[]> {
  const count = Math.max(1, Math.floor(options.count));
  if (count === 1 || info.frames === 0) return [{ start: 0, end: info.frames }];
  const rate = info.sampleRate;
  const hop = Math.max(1, Math.round(rate * HOP_SEC));
  const search = Math.round(options.searchSec * rate);
  const windowHops = Math.max(1, Math.round(options.windowSec / HOP_SEC));

  const cuts: number[] = [];
  let previous = 0;
  for (let k = 1; k < count; k++) {
    const target = Math.round((info.frames * k) / count);
    // Keep each chunk at least half the search distance long so a cut cannot land before the previous one.
    const from = Math.max(previous + Math.ceil(search / 2), target - search);
    const to = Math.min(info.frames - Math.ceil(search / 2), target + search);
    if (to - from < hop * windowHops) {
      cuts.push(Math.min(Math.max(target, previous + 1), info.frames - 1));
    } else {
      const samples = await readMonoSamples(path, info, from, to - from);
      cuts.push(from + quietestCut(samples, hop, windowHops, target - from));
    }
    previous = cuts[cuts.length - 1]!;
  }
  const bounds = [0, ...cuts, info.frames];
  return bounds.slice(1).map((end, i) => ({ start: bounds[i], end }));
}

/**
 * Returns the sample index (within `samples`) at the centre of the `windowHops`-hop window with the least energy.
 * Ties go to the window nearest `preferred`, so the plan is deterministic and chunks stay close to even.
 */
export function quietestCut(samples: Int16Array, hop: number, windowHops: number, preferred: number): number {
  const hops = Math.floor(samples.length / hop);
  if (hops < windowHops) return Math.min(Math.max(preferred, 0), samples.length);
  const energy = new Float64Array(hops);
  for (let h = 0; h < hops; h++) {
    let sum = 0;
    for (let i = h * hop; i < (h + 1) * hop; i++) sum += samples[i] * samples[i];
    energy[h] = sum;
  }
  let window = 0;
  for (let h = 0; h < windowHops; h++) window += energy[h];
  let best = 0;
  let bestEnergy = window;
  const centre = (h: number): number => h * hop + Math.floor((windowHops * hop) / 2);
  for (let h = 1; h + windowHops <= hops; h++) {
    window += energy[h + windowHops - 1] - energy[h - 1];
    const closer = Math.abs(centre(h) - preferred) < Math.abs(centre(best) - preferred);
    if (window < bestEnergy || (window === bestEnergy && closer)) {
      best = h;
      bestEnergy = window;
    }
  }
  return centre(best);
}
