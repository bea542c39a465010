import { setTimeout as sleep } from 'node:timers/promises';
import { ErrorCode, IntroEvalError } from '@introeval/contracts';
import { abortReason } from '@introeval/process';
import { engineCall, networkReason, type EngineResponse } from './engine-call.js';
import { EngineHttpError } from './engine-http.error.js';
import { isRetryableStatus } from './retryable-status.js';

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

/** A server's Retry-After is honoured up to this long; beyond it the stage's own backoff is the better judge. */
const MAX_RETRY_AFTER_MS = 30_000;

/**
 * One HTTP call to a model server from a stage, with the retry rules every engine adapter shares:
 * - connection refused/reset and retryable statuses (RETRYABLE_STATUSES) are retried after `backoffMs` (or the
 *   server's Retry-After, if longer); when attempts run out the call fails with ENGINE_UNAVAILABLE, transient, so
 *   the stage retries it later with its own backoff;
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
      throw abortReason(signal!);
    }
  }
}

type AttemptOutcome =
  | { kind: 'ok'; response: EngineResponse }
  | { kind: 'retry'; reason: string; cause?: unknown; retryAfterMs?: number };

async function attemptOnce(request: EngineRequest): Promise<AttemptOutcome> {
  const { what, url, timeoutMs, signal } = request;
  if (signal?.aborted) throw abortReason(signal);
  // Our own timeout signal, so that a timeout can be told apart from the caller's abort and from a network error.
  const timeout = AbortSignal.timeout(timeoutMs);
  try {
    const response = await engineCall({
      what,
      url,
      init: request.init(),
      signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
      okStatuses: request.okStatuses,
    });
    return { kind: 'ok', response };
  } catch (error) {
    if (signal?.aborted) throw abortReason(signal);
    if (error instanceof EngineHttpError) {
      if (isRetryableStatus(error.status)) return { kind: 'retry', reason: error.detail, retryAfterMs: error.retryAfterMs };
      throw new IntroEvalError(ErrorCode.Internal, error.message, false, { cause: error });
    }
    if (timeout.aborted) {
      throw new IntroEvalError(ErrorCode.EngineUnavailable, `${what}: no answer within ${timeoutMs} ms`, false, {
        cause: error,
      });
    }
    return { kind: 'retry', reason: `cannot reach ${new URL(url).origin}: ${networkReason(error)}`, cause: error };
  }
}
