import { IsIn, IsString, MinLength, ValidateBy } from 'class-validator';
import { WorkerConfig } from '@introeval/config';
import { DEFAULT_RUBRIC_FILE, loadRubric, RubricError } from '@introeval/engines';

export const RATE_ENGINES = ['rules'] as const;

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

export class RatingConfig extends WorkerConfig {
  /** Rubric rating engine. `rules` is deterministic and needs no model (the embedded default). */
  @IsIn(RATE_ENGINES, { message: `RATE_ENGINE must be one of ${RATE_ENGINES.join(', ')}` })
  RATE_ENGINE: (typeof RATE_ENGINES)[number] = 'rules';

  /**
   * The rubric (JSON, docs/rubric.md): weights, anchors and guards; its version goes into every result. Defaults
   * to the rubric shipped in libs/engines/rubric/. A relative path is resolved from the working directory.
   */
  @IsString() @MinLength(1) @IsRubricFile()
  RUBRIC_FILE: string = DEFAULT_RUBRIC_FILE;
}
