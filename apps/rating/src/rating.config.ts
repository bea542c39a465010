import { IsIn, IsInt, IsString, Max, Min, MinLength, ValidateBy } from 'class-validator';
import { OllamaWorkerConfig } from '@introeval/config';
import { DEFAULT_RUBRIC_FILE, loadRubric, RubricError } from '@introeval/engines';

export const RATE_ENGINES = ['rules', 'ollama'] as const;
export const RATE_FALLBACKS = ['none', 'rules'] as const;

/** Why the rubric file at `path` cannot be used, or null when it is valid. */
function rubricProblem(path: unknown): string | null {
  if (typeof path !== 'string') return 'must be a path';
  try {
    loadRubric(path);
    return null;
  } catch (error) {
    return error instanceof RubricError ? error.problems.join('; ') : (error as Error).message;
  }
}

/**
 * Loads and validates the rubric file while the configuration is checked, so that a bad file stops the worker
 * before it connects to anything, with the file's problems in the message (the provider loads it again: it is
 * small, and loadRubric is pure).
 */
function IsRubricFile(): PropertyDecorator {
  return ValidateBy({
    name: 'isRubricFile',
    validator: {
      validate: (value: unknown) => rubricProblem(value) === null,
      defaultMessage: (args) => `RUBRIC_FILE is not a usable rubric: ${rubricProblem(args?.value)}`,
    },
  });
}

export class RatingConfig extends OllamaWorkerConfig {
  /**
   * Rubric rating engine. `rules` is deterministic and needs no model (the embedded default); `ollama` has an LLM on
   * the GPU node judge four criteria against the rubric's anchors (OLLAMA_URL, RATE_MODEL).
   */
  @IsIn(RATE_ENGINES, { message: `RATE_ENGINE must be one of ${RATE_ENGINES.join(', ')}` })
  RATE_ENGINE: (typeof RATE_ENGINES)[number] = 'rules';

  /** The Ollama model tag that rates (Llama 3 in the lab). */
  @IsString() @MinLength(1)
  RATE_MODEL: string = 'llama3:8b-instruct-q4_K_M';

  /** Rating calls in flight at once: match the server's OLLAMA_NUM_PARALLEL (more only queue inside Ollama). */
  @IsInt() @Min(1) @Max(64)
  RATE_CONCURRENCY: number = 1;

  /**
   * What answers when the engine cannot be reached. `none` (default): the stage waits and is retried, and the job
   * says why. `rules`: the rules engine rates at once, with the same rubric, and the result says it did.
   */
  @IsIn(RATE_FALLBACKS, { message: `RATE_FALLBACK must be one of ${RATE_FALLBACKS.join(', ')}` })
  RATE_FALLBACK: (typeof RATE_FALLBACKS)[number] = 'none';

  /**
   * The rubric (JSON, docs/rubric.md): weights, anchors and guards; its version goes into every result. Defaults
   * to the rubric shipped in libs/engines/rubric/. A relative path is resolved from the working directory.
   */
  @IsString() @MinLength(1) @IsRubricFile()
  RUBRIC_FILE: string = DEFAULT_RUBRIC_FILE;

  ollamaNeededBy(): string | null {
    return this.RATE_ENGINE === 'ollama' ? 'RATE_ENGINE=ollama' : null;
  }

  protected ollamaModel(): { model: string; concurrency: number } {
    return { model: this.RATE_MODEL, concurrency: this.RATE_CONCURRENCY };
  }
}
