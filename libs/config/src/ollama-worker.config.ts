import { Transform } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsInt, IsOptional, Matches, Max, Min } from 'class-validator';
import { WorkerConfig } from './base.config.js';
import { IsEngineUrl } from './engine-url.validator.js';
import { commaSeparatedNumbers } from './number-list.js';

/**
 * What an Ollama client needs from the configuration (the OllamaClient options of @introeval/engines, written out
 * here because config sits below engines).
 */
export interface OllamaClientSettings {
  url: string;
  model: string;
  numCtx: number;
  keepAlive: string | number | undefined;
  timeoutMs: number;
  concurrency: number;
  retries: number;
  backoffMs: number[];
}

/**
 * Settings of a stage worker that may call Ollama (extraction, rating): where the server is and how its calls are
 * made. The subclass says when Ollama is in use (`ollamaNeededBy`), which makes OLLAMA_URL required.
 */
export abstract class OllamaWorkerConfig extends WorkerConfig {
  /** Base URL of the Ollama server on the GPU node, e.g. `http://gpu-node:11434`. */
  @IsEngineUrl({ requiredBy: (config) => (config as OllamaWorkerConfig).ollamaNeededBy(), example: 'http://gpu-node:11434' })
  OLLAMA_URL: string | undefined = undefined;

  /**
   * Context window, pinned per model: another value on any request makes Ollama reload the model (seconds), and
   * Ollama's own default (2048 tokens) would cut a long transcript and the rubric's anchors.
   */
  @IsInt() @Min(512) @Max(131_072)
  OLLAMA_NUM_CTX: number = 8192;

  /**
   * `keep_alive` sent with every call: how long the model stays loaded afterwards (`5m`, `1h`, seconds, or `-1` for
   * ever). Unset: the server's OLLAMA_KEEP_ALIVE. With a GPU scheduler, it unloads models at phase switches itself.
   */
  @IsOptional()
  @Matches(/^(-?\d+|(\d+(\.\d+)?(ns|us|ms|s|m|h))+)$/, { message: 'OLLAMA_KEEP_ALIVE must be seconds (-1 = for ever) or a duration such as 5m or 1h30m' })
  OLLAMA_KEEP_ALIVE: string | undefined = undefined;

  /** Budget of one Ollama call, a cold model load included (6-10 s on the lab's card). */
  @IsInt() @Min(1000)
  OLLAMA_TIMEOUT_MS: number = 120_000;

  /**
   * Waits before the client's retries of one call that found Ollama unreachable or overloaded, ms, comma-separated;
   * as many retries as entries. After them the stage attempt fails with ENGINE_UNAVAILABLE and is retried with
   * BACKOFF_MS (or, where configured, the fallback answers).
   */
  @Transform(commaSeparatedNumbers)
  @IsArray()
  @ArrayMaxSize(10)
  @IsInt({ each: true, message: 'OLLAMA_RETRY_BACKOFF_MS must be comma-separated integers (milliseconds)' })
  @Min(0, { each: true })
  OLLAMA_RETRY_BACKOFF_MS: number[] = [500, 2000, 5000];

  /** Which setting needs Ollama (`EXTRACT_ENGINE=ollama`), or null when this worker does not call it. */
  abstract ollamaNeededBy(): string | null;

  /** The model this worker asks and how many of its calls may be in flight (EXTRACT_MODEL, EXTRACT_CONCURRENCY). */
  protected abstract ollamaModel(): { model: string; concurrency: number };

  /**
   * The settings of this worker's Ollama client, read in one place so that the providers copy nothing. Only for a
   * worker whose settings need Ollama: validation then made sure OLLAMA_URL is set, and asking otherwise is a bug.
   */
  ollamaClientOptions(): OllamaClientSettings {
    const url = this.OLLAMA_URL;
    if (url === undefined) {
      throw new Error('ollamaClientOptions(): OLLAMA_URL is not set, and no setting of this worker needs Ollama');
    }
    const retryWaits = this.OLLAMA_RETRY_BACKOFF_MS;
    return {
      url,
      ...this.ollamaModel(),
      numCtx: this.OLLAMA_NUM_CTX,
      keepAlive: this.ollamaKeepAlive,
      timeoutMs: this.OLLAMA_TIMEOUT_MS,
      // One retry per configured wait: the list is the retry policy.
      retries: retryWaits.length,
      backoffMs: retryWaits,
    };
  }

  /** OLLAMA_KEEP_ALIVE as Ollama reads it: whole seconds as a number, a duration as a string. */
  get ollamaKeepAlive(): string | number | undefined {
    const value = this.OLLAMA_KEEP_ALIVE;
    return value !== undefined && /^-?\d+$/.test(value) ? Number(value) : value;
  }
}
