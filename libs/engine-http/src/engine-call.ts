import { EngineHttpError } from './engine-http.error.js';

/** One HTTP request to an engine (a model server: Ollama, speaches, an OpenAI-compatible API). */
export interface EngineCall {
  url: string;
  /** Method, headers and body; its `signal` is replaced by `signal` and `timeoutMs` below. */
  init?: RequestInit;
  /** Names the call in errors, e.g. `ollama POST /api/chat`. Default: the method and the URL. */
  what?: string;
  /** Aborts the request; it then rejects with fetch's AbortError (the caller knows its own reason). */
  signal?: AbortSignal;
  /** Budget of the request, from sending it to the last byte of the answer. */
  timeoutMs?: number;
  /** Non-2xx statuses that are an answer, not a failure (e.g. 409 "already loaded" to a load request). */
  okStatuses?: readonly number[];
}

/** An engine's answer, read to the end. */
export interface EngineResponse {
  status: number;
  body: string;
}

/**
 * Sends one request and reads the whole answer. Resolves for 2xx and `okStatuses`; rejects with EngineHttpError
 * for any other status, and with fetch's own error when the engine cannot be reached or the time is up.
 */
export async function engineCall(call: EngineCall): Promise<EngineResponse> {
  const what = call.what ?? `${call.init?.method ?? 'GET'} ${call.url}`;
  const signals = [call.signal, call.timeoutMs === undefined ? undefined : AbortSignal.timeout(call.timeoutMs)];
  const present = signals.filter((signal): signal is AbortSignal => signal !== undefined);
  const signal = present.length > 1 ? AbortSignal.any(present) : present[0];
  const response = await fetch(call.url, { ...call.init, signal });
  // Read under the same signal: a server that sends headers and then stalls is as stuck as a silent one.
  const body = await response.text();
  const { status } = response;
  if ((status >= 200 && status < 300) || call.okStatuses?.includes(status)) return { status, body };
  throw new EngineHttpError(what, status, body, retryAfterMs(response.headers.get('retry-after')));
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

/** undici reports "fetch failed" and hides the useful part (ECONNREFUSED, UND_ERR_SOCKET) in `cause`. */
export function networkReason(error: unknown): string {
  const cause = (error as { cause?: { code?: unknown; message?: unknown } } | null)?.cause;
  if (typeof cause?.code === 'string') return cause.code;
  if (typeof cause?.message === 'string') return cause.message;
  return error instanceof Error ? error.message : String(error);
}

/** Retry-After in ms: delta-seconds or an HTTP date; undefined when absent or unreadable. */
function retryAfterMs(header: string | null): number | undefined {
  if (header === null) return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}
