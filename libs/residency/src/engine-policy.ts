import { ErrorCode, IntroEvalError } from '@introeval/contracts';
import { EngineHttpError, isConnectionError, isRetryableStatus } from '@introeval/engine-http';
import type { FailurePolicy } from './deadline.js';

/** Parses an engine's JSON answer, naming the request when it is not JSON (a proxy's HTML error page, say). */
export function parseEngineJson(text: string, what: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new IntroEvalError(ErrorCode.ResidencyRefused, `${what} did not answer with JSON: ${text.slice(0, 200)}`, false, {
      cause: error,
    });
  }
}

/**
 * The policy for residency requests: retry while the engine cannot be reached, is overloaded or restarting (the
 * shared RETRYABLE_STATUSES; a load that finds the card still full because the previous model's memory is not yet
 * free answers 500), or says the model is busy (`retryStatuses`, e.g. speaches' 409 "in use"); refuse on anything
 * else (unknown model).
 */
export function enginePolicy(what: string, retryStatuses: readonly number[] = []): FailurePolicy {
  return (error) => {
    if (isConnectionError(error)) return 'retry';
    if (error instanceof EngineHttpError) {
      if (isRetryableStatus(error.status) || retryStatuses.includes(error.status)) return 'retry';
      return new IntroEvalError(ErrorCode.ResidencyRefused, `${what}: ${error.message}`, true, { cause: error });
    }
    return error instanceof Error ? error : new Error(String(error));
  };
}
