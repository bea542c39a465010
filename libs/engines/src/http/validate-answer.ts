import 'reflect-metadata';
import { plainToInstance } from 'class-transformer';
import { validate, type ValidationError } from 'class-validator';

export type Validated<T> = { ok: true; value: T } | { ok: false; problems: string[] };

export interface ValidateAnswerOptions {
  /**
   * Reject properties the DTO does not declare. On for a model's answer (the schema forbids them, so one is a sign
   * the model went its own way); off for a server's API response, which may grow fields in any release.
   */
  forbidUnknown: boolean;
}

/**
 * Validates what an engine answered against a class-validator DTO. Unlike `parseDto` (untrusted input from a
 * client, a permanent INVALID_INPUT) it returns the problems, because what to do about them is the adapter's call:
 * ask the model to repair its answer, or report the server as broken.
 */
export async function validateAnswer<T extends object>(
  dto: new () => T,
  plain: unknown,
  { forbidUnknown }: ValidateAnswerOptions,
): Promise<Validated<T>> {
  if (typeof plain !== 'object' || plain === null || Array.isArray(plain)) {
    return { ok: false, problems: ['the answer must be a JSON object'] };
  }
  const value = plainToInstance(dto, plain);
  const errors = await validate(value, { whitelist: true, forbidNonWhitelisted: forbidUnknown });
  return errors.length === 0 ? { ok: true, value } : { ok: false, problems: describe(errors) };
}

function describe(errors: ValidationError[], prefix = ''): string[] {
  return errors.flatMap((error) => {
    const path = `${prefix}${error.property}`;
    const own = Object.values(error.constraints ?? {}).map((message) => (prefix ? `${path}: ${message}` : message));
    return [...own, ...describe(error.children ?? [], `${path}.`)];
  });
}
