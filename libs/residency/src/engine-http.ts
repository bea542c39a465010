import { ErrorCode, IntroEvalError } from '@introeval/contracts';
import type { FailurePolicy } from './deadline.js';

/** An engine answered with a status outside 2xx; `body` is the start of what it said. */
export class EngineHttpError extends Error {
  constructor(
    readonly method: string,
    readonly url: string,
    readonly status: number,
    readonly body: string,
  ) {
    super(`${method} ${url} answered ${status}${body ? `: ${body}` : ''}`);
    this.name = 'EngineHttpError';
  }
}

export interface EngineResponse {
  status: number;
  text: string;
}

/** Longest part of an error body kept in a message: enough for Ollama's and speaches' one-line errors. */
const MAX_ERROR_BODY = 500;

/**
 * One HTTP request to an engine. Resolves for any status listed in `accept` (default: 2xx); rejects with
 * EngineHttpError otherwise, and with fetch's own error when the engine cannot be reached.
 */
export async function engineRequest(
  method: 'GET' | 'POST' | 'DELETE',
  url: string,
  { body, signal, accept }: { body?: unknown; signal: AbortSignal; accept?: readonly number[] },
): Promise<EngineResponse> {
  const response = await fetch(url, {
    method,
    signal,
    headers: body === undefined ? undefined : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  const accepted = accept ? accept.includes(response.status) : response.ok;
  if (!accepted) throw new EngineHttpError(method, url, response.status, text.slice(0, MAX_ERROR_BODY).trim());
  return { status: response.status, text };
}

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
 * fetch failed before any answer: refused, reset, DNS, TLS. The engine may be restarting, so it is worth a retry.
 * Recognised by name and message, not `instanceof TypeError`: undici's TypeError can come from another realm
 * (jest's VM modules), where instanceof is false.
 */
export function isConnectionError(error: unknown): boolean {
  const { name, message } = (error ?? {}) as { name?: unknown; message?: unknown };
  return name === 'TypeError' && message === 'fetch failed';
}

/**
 * The default policy for engine requests: retry while the engine cannot be reached, is overloaded (429, 5xx: a
 * load that found the card still full because the previous model's memory is not yet free answers 500), or says
 * the model is busy (`retryStatuses`, e.g. speaches' 409 "in use"); refuse on anything else (unknown model).
 */
export function enginePolicy(what: string, retryStatuses: readonly number[] = []): FailurePolicy {
  return (error) => {
    if (isConnectionError(error)) return 'retry';
    if (error instanceof EngineHttpError) {
      if (error.status === 429 || error.status >= 500 || retryStatuses.includes(error.status)) return 'retry';
      return new IntroEvalError(ErrorCode.ResidencyRefused, `${what}: ${error.message}`, true, { cause: error });
    }
    return error instanceof Error || isConnectionError(error) ? (error as Error) : new Error(String(error));
  };
}
