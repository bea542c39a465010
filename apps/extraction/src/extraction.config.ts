import { IsIn, IsInt, IsString, Max, Min, MinLength } from 'class-validator';
import { OllamaWorkerConfig } from '@introeval/config';

export const EXTRACT_ENGINES = ['rules', 'ollama'] as const;
export const EXTRACT_FALLBACKS = ['none', 'rules'] as const;

export class ExtractionConfig extends OllamaWorkerConfig {
  /**
   * Profile extraction engine. `rules` is deterministic and needs no model (the embedded default); `ollama` asks an
   * LLM on the GPU node (OLLAMA_URL, EXTRACT_MODEL).
   */
  @IsIn(EXTRACT_ENGINES, { message: `EXTRACT_ENGINE must be one of ${EXTRACT_ENGINES.join(', ')}` })
  EXTRACT_ENGINE: (typeof EXTRACT_ENGINES)[number] = 'rules';

  /** The Ollama model tag that extracts profiles (Mistral in the lab). */
  @IsString() @MinLength(1)
  EXTRACT_MODEL: string = 'mistral:7b-instruct-q4_K_M';

  /** Extraction calls in flight at once: match the server's OLLAMA_NUM_PARALLEL (more only queue inside Ollama). */
  @IsInt() @Min(1) @Max(64)
  EXTRACT_CONCURRENCY: number = 1;

  /**
   * What answers when the engine cannot be reached. `none` (default): the stage waits and is retried, and the job
   * says why. `rules`: the rules engine reads the profile at once, and the result says it did.
   */
  @IsIn(EXTRACT_FALLBACKS, { message: `EXTRACT_FALLBACK must be one of ${EXTRACT_FALLBACKS.join(', ')}` })
  EXTRACT_FALLBACK: (typeof EXTRACT_FALLBACKS)[number] = 'none';

  ollamaNeededBy(): string | null {
    return this.EXTRACT_ENGINE === 'ollama' ? 'EXTRACT_ENGINE=ollama' : null;
  }

  protected ollamaModel(): { model: string; concurrency: number } {
    return { model: this.EXTRACT_MODEL, concurrency: this.EXTRACT_CONCURRENCY };
  }
}
