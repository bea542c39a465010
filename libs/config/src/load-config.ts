import 'reflect-metadata';
import { plainToInstance } from 'class-transformer';
import { validateSync, type ValidationError } from 'class-validator';

/** Thrown at boot when the environment does not describe a valid configuration; lists every problem at once. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigError';
  }
}

function describe(errors: ValidationError[]): string[] {
  return errors.flatMap((error) => Object.values(error.constraints ?? {}).map((text) => `${text} (got ${JSON.stringify(error.value)})`));
}

/**
 * Reads and validates configuration from the environment into a typed class, once, at boot. Property names are the
 * environment variable names; defaults are the property initialisers. Nothing else in the codebase reads process.env.
 */
export function loadConfig<T extends object>(schema: new () => T, env: NodeJS.ProcessEnv = process.env): T {
  const defined = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined && value !== ''));
  const config = plainToInstance(schema, defined, { enableImplicitConversion: true, excludeExtraneousValues: false });
  const problems = describe(validateSync(config, { whitelist: false }));
  if (problems.length > 0) throw new ConfigError(problems);
  // Keep only the schema's own properties: the rest of the environment must not leak into the typed config.
  const known = new Set(Object.keys(new schema()));
  for (const key of Object.keys(config)) if (!known.has(key)) delete (config as Record<string, unknown>)[key];
  return Object.freeze(config);
}
