import { availableParallelism } from 'node:os';
import { Transform } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsIn, IsInt, IsOptional, IsString, Matches, Max, Min, MinLength } from 'class-validator';
import { commaSeparatedNumbers, IsEngineUrl, WorkerConfig } from '@introeval/config';

export const STT_ENGINES = ['pocketsphinx', 'openai'] as const;

export class TranscriptionConfig extends WorkerConfig {
  /**
   * Speech-to-text engine. `pocketsphinx` runs on the CPU with no model download (the embedded default); `openai`
   * sends the audio to an OpenAI-compatible Whisper server on the GPU node (speaches; STT_URL, STT_MODEL).
   */
  @IsIn(STT_ENGINES, { message: `STT_ENGINE must be one of ${STT_ENGINES.join(', ')}` })
  STT_ENGINE: (typeof STT_ENGINES)[number] = 'pocketsphinx';

  /** pocketsphinx is single-threaded: a clip is cut at quiet points and its chunks decoded on this many cores. */
  @IsInt() @Min(1) @Max(64)
  STT_PARALLELISM: number = availableParallelism();

  /** Base URL of the Whisper server, without `/v1` (e.g. `http://gpu-node:8000`). Required with STT_ENGINE=openai. */
  @IsEngineUrl({
    requiredBy: (config) => ((config as TranscriptionConfig).STT_ENGINE === 'openai' ? 'STT_ENGINE=openai' : null),
    example: 'http://gpu-node:8000',
  })
  STT_URL: string | undefined = undefined;

  /** The model id as the server names it. */
  @IsString() @MinLength(1)
  STT_MODEL: string = 'Systran/faster-whisper-large-v2';

  /** Spoken language (ISO 639-1), fixed: detection on a short, accented clip can pick wrongly. */
  @Matches(/^[a-z]{2,3}$/, { message: 'STT_LANGUAGE must be an ISO 639-1 code such as en' })
  STT_LANGUAGE: string = 'en';

  /** Sent as `Authorization: Bearer` where the server wants a key. */
  @IsOptional() @IsString() @MinLength(1)
  STT_API_KEY: string | undefined = undefined;

  /**
   * Text the model takes as preceding speech. Whisper drops fillers unless the prompt has some ("Umm, so, uh, I
   * mean..."), and the filler metric needs them. Unset: no prompt.
   */
  @IsOptional() @IsString()
  STT_PROMPT: string | undefined = undefined;

  /**
   * Transcriptions in flight at once on the server: 1 unbatched; up to the batch size where the server batches
   * (speaches). Raise STAGE_CONCURRENCY with it, or the worker never has that many clips to send.
   */
  @IsInt() @Min(1) @Max(64)
  STT_CONCURRENCY: number = 1;

  /** Budget of one transcription call: a 10-minute clip at ~12x real time plus a cold model load. */
  @IsInt() @Min(1000)
  STT_TIMEOUT_MS: number = 300_000;

  /**
   * Waits before the client's retries of one call that found the server unreachable or overloaded, ms,
   * comma-separated; as many retries as entries. Then the stage attempt fails with ENGINE_UNAVAILABLE and is
   * retried with BACKOFF_MS.
   */
  @Transform(commaSeparatedNumbers)
  @IsArray()
  @ArrayMaxSize(10)
  @IsInt({ each: true, message: 'STT_RETRY_BACKOFF_MS must be comma-separated integers (milliseconds)' })
  @Min(0, { each: true })
  STT_RETRY_BACKOFF_MS: number[] = [500, 2000, 5000];

  /**
   * One clip at a time by default: each clip already uses every core (STT_PARALLELISM), and two clips sharing the
   * cores finish no sooner in total while the first student waits twice as long.
   */
  @IsInt() @Min(1) @Max(64)
  override STAGE_CONCURRENCY: number = 1;
}
