import { setTimeout as sleep } from 'node:timers/promises';
import { ErrorCode, IntroEvalError } from '@introeval/contracts';

/** How a model-server call is retried inside one stage attempt. */
export interface RetryPolicy {
  /** Further attempts after the first. */
  retries: number;
  /** Wait before each retry, ms; the last entry repeats. */
  backoffMs: readonly number[];
}

export interface EngineRequest {
  /** Names the call in errors, e.g. `ollama POST /api/chat`. */
  what: string;
  url: string;
  /**
   * Built afresh for every attempt: a request body can be sent only once, and per-call headers (the lease epoch)
   * must be current when the attempt is made.
   */
  init: () => RequestInit;
  /** Budget of one attempt, from sending the request to the last byte of the answer. */
  timeoutMs: number;
  retry: RetryPolicy;
  /** Aborts the attempt in flight (and any backoff wait); the call then rejects with the signal's reason. */
  signal?: AbortSignal;
  /** Non-2xx statuses that are an answer, not a failure (e.g. 409 "already loaded" to a load request). */
  okStatuses?: readonly number[];
}

export interface EngineResponse {
  status: number;
  body: string;
}

/** Statuses that say "try again": overloaded (Ollama's 503 when its queue is full), restarting, gateway trouble. */
const RETRYABLE_STATUS = new Set([408, 425, 429, 500, 502, 503, 504]);
/** A server's Retry-After is honoured up to this long; beyond it the stage's own backoff is the better judge. */
const MAX_RETRY_AFTER_MS = 30_000;

/**
 * One HTTP call to a model server, with the retry rules every engine adapter shares:
 * - connection refused/reset and retryable statuses (408, 425, 429, 500, 502-504) are retried after
 *   `backoffMs` (or the server's Retry-After, if longer); when attempts run out the call fails with
 *   ENGINE_UNAVAILABLE, transient, so the stage retries it later with its own backoff;
 * - a timeout is NOT retried here: `timeoutMs` bounds one call, and retrying would multiply that bound past the
 *   stage deadline. It fails with ENGINE_UNAVAILABLE, transient;
 * - any other non-2xx answer (404 model not found, 400 bad request) is a deployment or programming problem, not
 *   the student's: INTERNAL, transient, with the server's own message, so the job survives a fix and otherwise
 *   ends as STAGE_EXHAUSTED with its message kept in the dead-letter stream;
 * - the caller's signal aborts the attempt in flight and rejects with the signal's reason.
 * Resolves with the status and the whole body of a 2xx (or `okStatuses`) answer.
 */
export async function engineRequest(request: EngineRequest): Promise<EngineResponse> {
  const { what, retry, signal } = request;
  const attempts = Math.max(0, retry.retries) + 1;
  for (let attempt = 1; ; attempt++) {
    const outcome = await attemptOnce(request);
    if (outcome.kind === 'ok') return outcome.response;
    if (attempt >= attempts) {
      throw new IntroEvalError(
        ErrorCode.EngineUnavailable,
        `${what}: ${outcome.reason} (${attempts} attempt${attempts === 1 ? '' : 's'})`,
        false,
        { cause: outcome.cause },
      );
    }
    const backoff = retry.backoffMs.length > 0 ? retry.backoffMs[Math.min(attempt - 1, retry.backoffMs.length - 1)] : 0;
    const wait = Math.max(backoff, Math.min(outcome.retryAfterMs ?? 0, MAX_RETRY_AFTER_MS));
    try {
      await sleep(wait, undefined, { signal });
    } catch {
      throw signal?.reason as Error;
    }
  }
}

type AttemptOutcome =
  | { kind: 'ok'; response: EngineResponse }
  | { kind: 'retry'; reason: string; cause?: unknown; retryAfterMs?: number };

async function attemptOnce(request: EngineRequest): Promise<AttemptOutcome> {
  const { what, url, timeoutMs, signal } = request;
  signal?.throwIfAborted();
  const timeout = AbortSignal.timeout(timeoutMs);
  const combined = signal ? AbortSignal.any([signal, timeout]) : timeout;
  let status: number;
  let body: string;
  let retryAfter: string | null;
  try {
    const response = await fetch(url, { ...request.init(), signal: combined });
    status = response.status;
    retryAfter = response.headers.get('retry-after');
    // Read inside the same timeout: a server that sends headers and then stalls is as stuck as a silent one.
    body = await response.text();
  } catch (error) {
    if (signal?.aborted) throw signal.reason as Error;
    if (timeout.aborted) {
      throw new IntroEvalError(ErrorCode.EngineUnavailable, `${what}: no answer within ${timeoutMs} ms`, false, {
        cause: error,
      });
    }
    return { kind: 'retry', reason: `cannot reach ${new URL(url).origin}: ${networkReason(error)}`, cause: error };
  }
  if ((status >= 200 && status < 300) || request.okStatuses?.includes(status)) {
    return { kind: 'ok', response: { status, body } };
  }
  const detail = `answered ${status}${serverMessage(body)}`;
  if (RETRYABLE_STATUS.has(status)) return { kind: 'retry', reason: detail, retryAfterMs: retryAfterMs(retryAfter) };
  throw new IntroEvalError(ErrorCode.Internal, `${what}: ${detail}`, false);
}

/** undici reports "fetch failed" and hides the useful part (ECONNREFUSED, UND_ERR_SOCKET) in `cause`. */
function networkReason(error: unknown): string {
  const cause = (error as { cause?: { code?: unknown; message?: unknown } } | null)?.cause;
  if (typeof cause?.code === 'string') return cause.code;
  if (typeof cause?.message === 'string') return cause.message;
  return error instanceof Error ? error.message : String(error);
}

/** The error text a server put in its body (Ollama `{ error }`, FastAPI `{ detail }`), kept short. */
function serverMessage(body: string): string {
  let text = body.trim();
  try {
    const parsed = JSON.parse(text) as { error?: unknown; detail?: unknown };
    const message = parsed.error ?? parsed.detail;
    if (message !== undefined) text = typeof message === 'string' ? message : JSON.stringify(message);
  } catch {
    // Not JSON: the plain body is the message.
  }
  if (text.length === 0) return '';
  return `: ${text.length > 300 ? `${text.slice(0, 300)}...` : text}`;
}

function retryAfterMs(header: string | null): number | undefined {
  if (header === null) return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}
