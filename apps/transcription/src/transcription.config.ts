import { availableParallelism } from 'node:os';
import { IsIn, IsInt, Max, Min } from 'class-validator';
import { WorkerConfig } from '@introeval/config';

export const STT_ENGINES = ['pocketsphinx'] as const;

export class TranscriptionConfig extends WorkerConfig {
  /** Speech-to-text engine. `pocketsphinx` runs on the CPU with no model download (the embedded default). */
  @IsIn(STT_ENGINES, { message: `STT_ENGINE must be one of ${STT_ENGINES.join(', ')}` })
  STT_ENGINE: (typeof STT_ENGINES)[number] = 'pocketsphinx';

  /** pocketsphinx is single-threaded: a clip is cut at quiet points and its chunks decoded on this many cores. */
  @IsInt() @Min(1) @Max(64)
  STT_PARALLELISM: number = availableParallelism();

  /**
   * One clip at a time by default: each clip already uses every core (STT_PARALLELISM), and two clips sharing the
   * cores finish no sooner in total while the first student waits twice as long.
   */
  @IsInt() @Min(1) @Max(64)
  override STAGE_CONCURRENCY: number = 1;
}
