import 'reflect-metadata';
import { plainToInstance } from 'class-transformer';
import { validate, type ValidationError } from 'class-validator';
import { ErrorCode, IntroEvalError } from './error-codes.js';

function flatten(errors: ValidationError[], prefix = ''): string[] {
  return errors.flatMap((error) => {
    const path = `${prefix}${error.property}`;
    const own = Object.values(error.constraints ?? {});
    return [...own, ...flatten(error.children ?? [], `${path}.`)];
  });
}

/**
 * Turns untrusted input (a message payload, a request body) into a validated DTO instance, or throws a permanent
 * INVALID_INPUT error that names every problem. Unknown properties are rejected, not silently dropped.
 */
export async function parseDto<T extends object>(dto: new () => T, plain: unknown): Promise<T> {
  if (typeof plain !== 'object' || plain === null || Array.isArray(plain)) {
    throw IntroEvalError.permanent(ErrorCode.InvalidInput, 'expected a JSON object');
  }
  const instance = plainToInstance(dto, plain);
  const errors = await validate(instance, { whitelist: true, forbidNonWhitelisted: true });
  if (errors.length > 0) throw IntroEvalError.permanent(ErrorCode.InvalidInput, flatten(errors).join('; '));
  return instance;
}
