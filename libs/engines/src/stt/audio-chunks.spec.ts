import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { planChunks, quietestCut } from './audio-chunks.js';
import { encodeWav, readWavInfo } from '@introeval/audio';

const RATE = 16000;

/** Loud noise everywhere except the given silent intervals (seconds). Deterministic pseudo-noise. */
function speechLike(seconds: number, silences: Array<[number, number]>): Int16Array {
  const samples = new Int16Array(seconds * RATE);
  let seed = 12345;
  for (let i = 0; i < samples.length; i++) {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    const t = i / RATE;
    const silent = silences.some(([a, b]) => t >= a && t < b);
    samples[i] = silent ? (seed % 21) - 10 : (seed % 16001) - 8000;
  }
  return samples;
}

describe('quietestCut', () => {
  it('returns the centre of the quietest window', () => {
    const samples = new Int16Array(1000).fill(1000);
    samples.fill(0, 600, 700);
    expect(quietestCut(samples, 10, 10, 0)).toBe(650);
  });

  it('breaks ties toward the preferred point', () => {
    expect(quietestCut(new Int16Array(1000), 10, 10, 300)).toBe(300);
  });
});

describe('planChunks', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'engines-chunks-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('cuts inside the pause nearest each even split point, never inside speech', async () => {
    // 30 s: pauses at 8.6-9.0 s (near the first third at 10 s) and 21.5-21.9 s (near 20 s), plus a decoy far away.
    const path = join(dir, 'speech.wav');
    await writeFile(path, encodeWav(speechLike(30, [[2, 2.4], [8.6, 9.0], [21.5, 21.9]])));
    const info = await readWavInfo(path);
    const chunks = await planChunks(path, info, { count: 3, searchSec: 2.5, windowSec: 0.25 });
    expect(chunks).toHaveLength(3);
    expect(chunks[0].start).toBe(0);
    expect(chunks[2].end).toBe(info.frames);
    expect(chunks[0].end).toBe(chunks[1].start);
    expect(chunks[1].end).toBe(chunks[2].start);
    const cut1 = chunks[0].end / RATE;
    const cut2 = chunks[1].end / RATE;
    expect(cut1).toBeGreaterThan(8.6 + 0.1);
    expect(cut1).toBeLessThan(9.0 - 0.1);
    expect(cut2).toBeGreaterThan(21.5 + 0.1);
    expect(cut2).toBeLessThan(21.9 - 0.1);
  });

  it('keeps short audio whole', async () => {
    const path = join(dir, 'short.wav');
    await writeFile(path, encodeWav(speechLike(1, [])));
    const info = await readWavInfo(path);
    expect(await planChunks(path, info, { count: 1, searchSec: 2.5, windowSec: 0.25 })).toEqual([{ start: 0, end: 16000 }]);
  });
});
