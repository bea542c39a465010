import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { dirname, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { EngineProvenance, Transcript, Word } from '@introeval/contracts';
import { planChunks, type AudioChunk } from './audio-chunks.js';
import type { SpeechToTextEngine, TranscribeInput } from '../engine.types.js';
import { recognizeChunk } from './pocketsphinx-process.js';
import { assertSpeechWav, readWavInfo, type WavInfo } from '@introeval/audio';

export interface PocketsphinxEngineOptions {
  /** Path or name of the recogniser binary. Default `pocketsphinx_continuous` (Debian package `pocketsphinx`). */
  binary?: string;
  /**
   * Most recognisers run at once for one file. Each is single-threaded and holds ~124 MB, so this bounds both
   * CPU and memory. Default `os.availableParallelism()`; 1 disables chunking.
   */
  concurrency?: number;
  /**
   * Shortest chunk worth its own process (seconds). Each process spends ~0.5 s loading the model and loses a
   * little context at its edges, so splitting finer than this costs more than it saves. Default 12.
   */
  minChunkSec?: number;
  /** How far either side of an even split point to look for a pause (seconds). Default 2.5. */
  boundarySearchSec?: number;
  /** Extra arguments, e.g. `['-hmm', DIR, '-lm', FILE, '-dict', FILE]` for another model. */
  extraArgs?: string[];
  /** Recorded in provenance; use `detectPocketsphinxVersion()` to read the installed package's version. */
  version?: string;
  /** Recorded in provenance. Default `cmusphinx-en-us` (the model of the `pocketsphinx-en-us` package). */
  model?: string;
  /** Where chunk files go while a file is transcribed (removed afterwards). Default: the audio file's directory. */
  tmpDir?: string;
}

const SAMPLE_BYTES = 2;
/** A cut sits in the middle of the quietest 250 ms: shorter than most pauses, longer than a stop consonant. */
const QUIET_WINDOW_SEC = 0.25;

/**
 * Embedded speech-to-text on the CPU: spawns Debian's `pocketsphinx_continuous` (no shell). pocketsphinx is
 * single-threaded (real-time factor ~0.15-0.2), so a long file is split at pauses into chunks that run in parallel,
 * and their words are shifted back onto the file's timeline and merged.
 */
export class PocketsphinxEngine implements SpeechToTextEngine {
  readonly provenance: EngineProvenance;
  private readonly binary: string;
  private readonly concurrency: number;
  private readonly minChunkSec: number;
  private readonly boundarySearchSec: number;
  private readonly extraArgs: readonly string[];
  private readonly tmpDir: string | undefined;

  constructor(options: PocketsphinxEngineOptions = {}) {
    this.binary = options.binary ?? 'pocketsphinx_continuous';
    this.concurrency = Math.max(1, Math.floor(options.concurrency ?? availableParallelism()));
    this.minChunkSec = Math.max(1, options.minChunkSec ?? 12);
    this.boundarySearchSec = Math.max(0, options.boundarySearchSec ?? 2.5);
    this.extraArgs = [...(options.extraArgs ?? [])];
    this.tmpDir = options.tmpDir;
    this.provenance = {
      engine: 'pocketsphinx',
      model: options.model ?? 'cmusphinx-en-us',
      version: options.version ?? 'pocketsphinx-0.8',
    };
  }

  async transcribe({ audioPath, signal }: TranscribeInput): Promise<Transcript> {
    signal?.throwIfAborted();
    const info = await readWavInfo(audioPath);
    assertSpeechWav(audioPath, info);

    const count = Math.min(this.concurrency, Math.max(1, Math.floor(info.durationSec / this.minChunkSec)));
    const chunks = await planChunks(audioPath, info, {
      count,
      searchSec: this.boundarySearchSec,
      windowSec: QUIET_WINDOW_SEC,
    });
    signal?.throwIfAborted();

    // Next to the audio by default: the caller's scratch directory, cleaned up (or reaped) with it.
    const work = await mkdtemp(join(this.tmpDir ?? dirname(audioPath), 'introeval-pocketsphinx-'));
    try {
      const words = await this.recognizeChunks(audioPath, info, chunks, work, signal);
      return {
        text: words.map((word) => word.w).join(' '),
        words,
        engine: this.provenance.engine,
        model: this.provenance.model,
        durationSec: Math.round(info.durationSec * 1000) / 1000,
      };
    } finally {
      await rm(work, { recursive: true, force: true });
    }
  }

  private async recognizeChunks(
    audioPath: string,
    info: WavInfo,
    chunks: AudioChunk[],
    work: string,
    signal: AbortSignal | undefined,
  ): Promise<Word[]> {
    // One failed chunk stops its siblings: a partial transcript would be silently wrong.
    const stopAll = new AbortController();
    // The first failure is the cause; siblings then fail only with abort errors of their own.
    const failures: Error[] = [];
    const linked = signal ? AbortSignal.any([signal, stopAll.signal]) : stopAll.signal;
    const results = await Promise.allSettled(
      chunks
        .filter((chunk) => chunk.end > chunk.start)
        .map(async (chunk, i) => {
          try {
            const rawPath = join(work, `chunk-${i}.raw`);
            // Streamed copy of the chunk's samples: memory stays at one stream buffer however long the file is.
            await pipeline(
              createReadStream(audioPath, {
                start: info.dataOffset + chunk.start * SAMPLE_BYTES,
                end: info.dataOffset + chunk.end * SAMPLE_BYTES - 1,
              }),
              createWriteStream(rawPath),
              { signal: linked },
            );
            return await recognizeChunk({
              binary: this.binary,
              extraArgs: this.extraArgs,
              rawPath,
              offsetSec: chunk.start / info.sampleRate,
              signal: linked,
            });
          } catch (error) {
            const failure = error instanceof Error ? error : new Error(String(error), { cause: error });
            failures.push(failure);
            stopAll.abort(failure);
            throw failure;
          }
        }),
    );
    // allSettled waits for every child to exit before an error leaves this method.
    signal?.throwIfAborted();
    if (failures.length > 0) throw failures[0];
    return results.flatMap((r) => (r.status === 'fulfilled' ? r.value : []));
  }
}
