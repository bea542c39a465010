import { ValidateBy, type ValidationArguments } from 'class-validator';

export interface EngineUrlOptions {
  /**
   * Why the URL is needed with this configuration (e.g. `EXTRACT_ENGINE=ollama`), or null when it is not: then it
   * may be left unset (and is still checked when set).
   */
  requiredBy: (config: object) => string | null;
  /** A URL of the right kind, for the message: `http://gpu-node:11434`. */
  example: string;
}

function isHttpUrl(value: unknown): boolean {
  if (typeof value !== 'string') return false;
  try {
    const url = new URL(value);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '';
  } catch {
    return false;
  }
}

/**
 * The base URL of a model server (Ollama, a Whisper server): an http(s) URL, required when the engine that uses it
 * is selected. Validated with the rest of the configuration, so that a missing URL stops the worker at boot with
 * a message naming the variable and the setting that needs it, never later inside a provider (a Nest provider that
 * throws at boot aborts the process without a useful message).
 */
export function IsEngineUrl(options: EngineUrlOptions): PropertyDecorator {
  return ValidateBy({
    name: 'isEngineUrl',
    validator: {
      validate: (value: unknown, args?: ValidationArguments) => {
        if (value === undefined || value === null) return options.requiredBy(args?.object ?? {}) === null;
        return isHttpUrl(value);
      },
      defaultMessage: (args?: ValidationArguments) => {
        const name = args?.property ?? 'the engine URL';
        const needed = options.requiredBy(args?.object ?? {});
        if ((args?.value === undefined || args.value === null) && needed !== null) {
          return `${name} is required with ${needed} (e.g. ${options.example})`;
        }
        return `${name} must be an http(s) URL such as ${options.example}`;
      },
    },
  });
}
