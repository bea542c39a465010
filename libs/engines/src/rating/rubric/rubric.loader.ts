import 'reflect-metadata';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { plainToInstance } from 'class-transformer';
import { validateSync, type ValidationError } from 'class-validator';
import { ErrorCode, IntroEvalError } from '@introeval/contracts';
import { RubricFileDto } from './rubric-file.dto.js';
import { CRITERIA, type Criterion, type Rubric, type RubricCriterion } from './rubric.types.js';

/**
 * The rubric shipped with the repository. It lives beside the lib's sources (not at the repo root) so that it
 * travels with the lib into every build and image; the path holds from `src/rating/rubric/` and from
 * `dist/rating/rubric/`.
 */
export const DEFAULT_RUBRIC_FILE = fileURLToPath(new URL('../../../rubric/rubric-2026.2.json', import.meta.url));

/** A rubric file that cannot be read or does not describe a valid rubric; lists every problem at once. */
export class RubricError extends IntroEvalError {
  constructor(
    readonly source: string,
    readonly problems: string[],
    cause?: unknown,
  ) {
    super(ErrorCode.InvalidInput, `rubric ${source} is invalid:\n  - ${problems.join('\n  - ')}`, true, { cause });
    this.name = 'RubricError';
  }
}

/** Reads and validates a rubric file (JSON). Meant for boot: it reads synchronously and throws RubricError. */
export function loadRubric(path: string): Rubric {
  let raw: string;
  try {
    raw = readFileSync(path, 'utf8');
  } catch (error) {
    throw new RubricError(path, [`cannot be read: ${(error as Error).message}`], error);
  }
  let plain: unknown;
  try {
    plain = JSON.parse(raw);
  } catch (error) {
    throw new RubricError(path, [`is not valid JSON: ${(error as Error).message}`], error);
  }
  return parseRubric(plain, path);
}

let shipped: Rubric | undefined;

/** The rubric shipped with the repository (DEFAULT_RUBRIC_FILE), read once. */
export function defaultRubric(): Rubric {
  shipped ??= loadRubric(DEFAULT_RUBRIC_FILE);
  return shipped;
}

/** Validates an already parsed rubric file; `source` names it in errors. */
export function parseRubric(plain: unknown, source: string): Rubric {
  if (typeof plain !== 'object' || plain === null || Array.isArray(plain)) {
    throw new RubricError(source, ['must be a JSON object with version, criteria and guards']);
  }
  const file = plainToInstance(RubricFileDto, plain);
  const errors = validateSync(file, { whitelist: true, forbidNonWhitelisted: true, stopAtFirstError: true });
  const problems = describeErrors(errors, '', file);
  // The cross-field rules need a well-formed list; their problems add to the shape's, so one edit fixes all.
  if (Array.isArray(file.criteria)) problems.push(...criteriaProblems(file.criteria));
  const guards = file.guards as Partial<RubricFileDto['guards']> | undefined;
  if (typeof guards?.shortAnswerWords === 'number' && typeof guards.briefAnswerWords === 'number') {
    if (guards.briefAnswerWords < guards.shortAnswerWords) {
      problems.push(
        `guards.briefAnswerWords: must not be below guards.shortAnswerWords (${guards.briefAnswerWords} < ${guards.shortAnswerWords})`,
      );
    }
  }
  if (problems.length > 0) throw new RubricError(source, problems);

  const criteria = Object.fromEntries(
    file.criteria.map((c): [Criterion, RubricCriterion] => [
      c.id,
      Object.freeze({
        id: c.id,
        weight: c.weight,
        description: c.description,
        anchors: Object.freeze({ '1': c.anchors['1'], '3': c.anchors['3'], '5': c.anchors['5'] }),
      }),
    ]),
  ) as Record<Criterion, RubricCriterion>;
  return Object.freeze({
    version: file.version,
    criteria: Object.freeze(criteria),
    guards: Object.freeze({ ...file.guards }),
    source,
  });
}

/** Every criterion exactly once, and weights that sum to 100. */
function criteriaProblems(criteria: readonly unknown[]): string[] {
  const problems: string[] = [];
  const entries = criteria.filter((c): c is { id?: unknown; weight?: unknown } => typeof c === 'object' && c !== null);
  const ids = entries.map((c) => c.id).filter((id): id is Criterion => CRITERIA.includes(id as Criterion));
  for (const id of CRITERIA) {
    const count = ids.filter((other) => other === id).length;
    if (count === 0) problems.push(`criteria: criterion "${id}" is missing`);
    if (count > 1) problems.push(`criteria: criterion "${id}" appears ${count} times`);
  }
  const weighted = entries.filter((c): c is { id: string; weight: number } => Number.isInteger(c.weight) && typeof c.id === 'string');
  if (weighted.length === entries.length) {
    const sum = weighted.reduce((total, c) => total + c.weight, 0);
    if (sum !== 100) {
      const parts = weighted.map((c) => `${c.id} ${c.weight}`).join(' + ');
      problems.push(`criteria: weights sum to ${sum} (${parts}); they must sum to 100`);
    }
  }
  return problems;
}

/**
 * One line per failed rule, prefixed with the field's path. A criterion is named by its id where it has one
 * (`criteria[clarity]`), which is easier to find in the file than its position.
 */
function describeErrors(errors: ValidationError[], prefix: string, parent: unknown): string[] {
  return errors.flatMap((error) => {
    const path = `${prefix}${segment(error.property, parent)}`;
    const own = Object.entries(error.constraints ?? {}).map(([rule, message]) =>
      rule === 'whitelistValidation' ? `${path}: is not a rubric field (misspelt?)` : `${path}: ${message}`,
    );
    const value: unknown = error.value;
    return [...own, ...describeErrors(error.children ?? [], `${path}${Array.isArray(value) ? '' : '.'}`, value)];
  });
}

function segment(property: string, parent: unknown): string {
  if (!Array.isArray(parent)) return property;
  const item: unknown = parent[Number(property)];
  const id = typeof item === 'object' && item !== null ? (item as { id?: unknown }).id : undefined;
  return typeof id === 'string' && id !== '' ? `[${id}]` : `[${property}]`;
}
