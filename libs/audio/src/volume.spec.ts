import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { measureWavVolume } from './volume.js';
import { encodeWav, readWavInfo } from './wav.js';

describe('measureWavVolume', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'volume-spec-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  async function measure(samples: Int16Array) {
    const path = join(dir, `${Math.random()}.wav`);
    await writeFile(path, encodeWav(samples));
    return measureWavVolume(path, await readWavInfo(path));
  }

  it('reads a full-scale square wave as 0 dB mean and peak', async () => {
    const samples = Int16Array.from({ length: 40_000 }, (_, i) => (i % 2 === 0 ? 32767 : -32767));
    expect(await measure(samples)).toEqual({ meanDb: -0, maxDb: -0 });
  });

  it('reads a half-scale sine across chunk boundaries: peak -6 dB, RMS 3 dB below it', async () => {
    const samples = Int16Array.from({ length: 48_000 }, (_, i) => Math.round(16384 * Math.sin((2 * Math.PI * 440 * i) / 16000)));
    const { meanDb, maxDb } = await measure(samples);
    expect(maxDb).toBeCloseTo(-6, 0);
    expect(meanDb).toBeCloseTo(-9, 0);
  });

  it('reads digital silence as -Infinity', async () => {
    expect(await measure(new Int16Array(16_000))).toEqual({ meanDb: -Infinity, maxDb: -Infinity });
  });
});
