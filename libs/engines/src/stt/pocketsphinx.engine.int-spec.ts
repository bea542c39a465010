import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ErrorCode, IntroEvalError } from '@introeval/contracts';
import { computeDeliveryMetrics } from '../rating/delivery-metrics.js';
import { PocketsphinxEngine } from './pocketsphinx.engine.js';
import { RulesExtractionEngine } from '../extraction/rules-extraction.engine.js';
import { RulesRatingEngine } from '../rating/rules-rating.engine.js';
import { encodeWav } from '@introeval/audio';
import { wordErrorRate } from '../quality/wer.js';
import { COMPLETE_INTRO } from '../complete-intro.fixture.js';

const run = promisify(execFile);

const SCRIPT = COMPLETE_INTRO;

/** pocketsphinx processes that are children of this test process, read from /proc (Linux). */
async function recogniserChildren(): Promise<number[]> {
  const pids: number[] = [];
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = await readFile(`/proc/${entry}/stat`, 'utf8').catch(() => '');
    // stat: pid (comm) state ppid ...; comm is truncated to 15 characters.
    const match = /^\d+ \((.*)\) \S+ (\d+)/.exec(stat);
    if (match && match[1].startsWith('pocketsphinx') && Number(match[2]) === process.pid) pids.push(Number(entry));
  }
  return pids;
}

describe('PocketsphinxEngine (real pocketsphinx)', () => {
  let dir: string;
  let wav: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'engines-ps-'));
    await writeFile(join(dir, 'intro.txt'), SCRIPT);
    wav = join(dir, 'intro.wav');
    await run('flite', ['-voice', 'slt', '-f', join(dir, 'intro.txt'), '-o', wav]);
  }, 30_000);

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('transcribes a 45 s introduction in parallel chunks with ordered word timings', async () => {
    const engine = new PocketsphinxEngine({ concurrency: 2 });
    const transcript = await engine.transcribe({ audioPath: wav });

    expect(transcript.engine).toBe('pocketsphinx');
    expect(transcript.model).toBe('cmusphinx-en-us');
    expect(transcript.durationSec).toBeGreaterThan(35);
    expect(transcript.durationSec).toBeLessThan(60);
    expect(wordErrorRate(SCRIPT, transcript.text)).toBeLessThan(0.45);
    for (const phrase of ['computer science', 'machine learning', 'thank you']) {
      expect(transcript.text).toContain(phrase);
    }
    expect(transcript.text).toBe(transcript.words.map((w) => w.w).join(' '));
    expect(transcript.words.length).toBeGreaterThan(60);
    transcript.words.forEach((word, i) => {
      expect(word.w).toMatch(/^[a-z']+$/);
      expect(word.end).toBeGreaterThanOrEqual(word.start);
      expect(word.conf).toBeGreaterThanOrEqual(0);
      expect(word.conf).toBeLessThanOrEqual(1);
      if (i > 0) expect(word.start).toBeGreaterThanOrEqual(transcript.words[i - 1].end);
    });
    expect(transcript.words.at(-1)!.end).toBeLessThanOrEqual(transcript.durationSec! + 0.05);
  }, 60_000);

  it('gives about the same text in one chunk as in three', async () => {
    const single = await new PocketsphinxEngine({ concurrency: 1 }).transcribe({ audioPath: wav });
    const chunked = await new PocketsphinxEngine({ concurrency: 3 }).transcribe({ audioPath: wav });
    expect(wordErrorRate(single.text, chunked.text)).toBeLessThan(0.15);
    expect(Math.abs(single.words.length - chunked.words.length)).toBeLessThan(10);
  }, 60_000);

  it('feeds real ASR output through extraction, metrics and rating', async () => {
    const transcript = await new PocketsphinxEngine().transcribe({ audioPath: wav });
    const profile = await new RulesExtractionEngine().extract({ text: transcript.text });
    expect(profile).toMatchObject({ degree: 'B.Tech', major: 'Computer Science', graduationYear: 2025 });
    const metrics = computeDeliveryMetrics(transcript, profile);
    // flite speaks fast (~170 wpm) and evenly.
    expect(metrics.wpm).toBeGreaterThan(130);
    expect(metrics.wpm).toBeLessThan(220);
    expect(metrics.pauseRatio).toBeLessThan(0.3);
    expect(metrics.fieldCoverage).toBeGreaterThan(0.6);
    const { scores, feedback } = await new RulesRatingEngine().rate({ transcript, profile, metrics });
    expect(scores.total).toBeGreaterThan(60);
    expect(scores.content).toBeGreaterThanOrEqual(4);
    expect(feedback.join('\n')).not.toMatch(/judged from filler words only/);
  }, 60_000);

  it('returns an empty transcript for silence and for an empty file', async () => {
    const silent = join(dir, 'silent.wav');
    await writeFile(silent, encodeWav(new Int16Array(16000 * 3)));
    const empty = join(dir, 'empty.wav');
    await writeFile(empty, encodeWav(new Int16Array(0)));
    const engine = new PocketsphinxEngine();
    expect(await engine.transcribe({ audioPath: silent })).toMatchObject({ text: '', words: [], durationSec: 3 });
    expect(await engine.transcribe({ audioPath: empty })).toMatchObject({ text: '', words: [], durationSec: 0 });
  });

  it('rejects a 44.1 kHz WAV with a clear, permanent error', async () => {
    const cd = join(dir, 'cd.wav');
    await run('ffmpeg', ['-nostdin', '-loglevel', 'error', '-y', '-i', wav, '-ar', '44100', '-ac', '2', cd]);
    const error = await new PocketsphinxEngine().transcribe({ audioPath: cd }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(IntroEvalError);
    expect(error).toMatchObject({ code: ErrorCode.InvalidInput, permanent: true });
    expect((error as Error).message).toMatch(/16 kHz mono.*44100 Hz, 2 channel/);
  });

  it('rejects a file that is not a WAV', async () => {
    const text = join(dir, 'intro.txt');
    await expect(new PocketsphinxEngine().transcribe({ audioPath: text })).rejects.toMatchObject({
      code: ErrorCode.InvalidInput,
      message: expect.stringContaining('RIFF'),
    });
  });

  it('kills its recognisers when the signal aborts', async () => {
    const controller = new AbortController();
    const pending = new PocketsphinxEngine({ concurrency: 2 }).transcribe({ audioPath: wav, signal: controller.signal });
    const settled = pending.catch((e: unknown) => e);
    // Abort only once the recognisers really run, so the test proves they are killed, not never started.
    for (let i = 0; i < 200 && (await recogniserChildren()).length === 0; i++) {
      await new Promise((r) => setTimeout(r, 10));
    }
    expect((await recogniserChildren()).length).toBeGreaterThan(0);
    const started = Date.now();
    controller.abort();
    const error = await settled;
    expect((error as Error).name).toBe('AbortError');
    expect(Date.now() - started).toBeLessThan(1000);
    expect(await recogniserChildren()).toEqual([]);
  }, 30_000);

  it('names the package to install when the binary is missing', async () => {
    const engine = new PocketsphinxEngine({ binary: 'pocketsphinx_continuous_missing' });
    await expect(engine.transcribe({ audioPath: wav })).rejects.toThrow(/apt-get install -y pocketsphinx/);
  });

  it("reports pocketsphinx's own reason when it exits non-zero", async () => {
    const engine = new PocketsphinxEngine({ extraArgs: ['-hmm', join(dir, 'no-model')] });
    await expect(engine.transcribe({ audioPath: wav })).rejects.toThrow(/exited with code 1; log:\n.*ERROR.*mdef/s);
  });
});
