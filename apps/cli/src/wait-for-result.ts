import { setTimeout as sleep } from 'node:timers/promises';
import { ApiError, ConnectionError, type ApiClient, type Credentials, type JobAnswer } from './api-client.js';

/** Answers that mean "the gateway (or a proxy before it) is briefly unavailable": worth asking again. */
const RETRYABLE_STATUS = new Set([502, 503, 504]);

/** What happens while waiting, for whoever shows it. */
export interface WaitEvents {
  /** The job is not finished yet. */
  progress?(result: JobAnswer, elapsedMs: number): void;
  /** The first failed poll of a run of temporary failures. */
  connectionLost?(reason: string): void;
  /** The first answer after such a run. */
  connectionBack?(): void;
}

export interface WaitOptions {
  /** Give up after this long (polls and retries included). */
  timeoutMs: number;
  /** Between polls while the job runs. */
  pollMs?: number;
  /** First retry delay after a temporary failure; doubles (with jitter) up to maxBackoffMs. */
  initialBackoffMs?: number;
  maxBackoffMs?: number;
  /** The most one poll may take before it counts as a lost connection. */
  requestTimeoutMs?: number;
  events?: WaitEvents;
}

/** The job did not finish within the timeout. It goes on running: `introeval get ID` reads it later. */
export class WaitTimeoutError extends Error {
  constructor(
    readonly id: string,
    readonly timeoutMs: number,
    readonly last: JobAnswer | undefined,
    readonly lastError: Error | undefined,
  ) {
    const state = lastError ? `the last poll failed: ${lastError.message}` : `it is still ${last?.status ?? 'unknown'}`;
    super(
      `gave up waiting for ${id} after ${formatSeconds(timeoutMs)} (${state}); ` +
        `the evaluation goes on: check it later with: introeval get ${id}`,
    );
    this.name = 'WaitTimeoutError';
  }
}

/** A failure that may go away by itself: the gateway unreachable, or 502/503/504. */
export function isTemporary(error: unknown): error is ConnectionError | ApiError {
  if (error instanceof ConnectionError) return !error.permanent;
  return error instanceof ApiError && RETRYABLE_STATUS.has(error.status);
}

/**
 * Polls the job until it is completed or failed. Temporary failures are retried with backoff (or after the
 * server's Retry-After) until the timeout; any other error ends the wait at once.
 */
export async function waitForResult(
  client: Pick<ApiClient, 'get'>,
  id: string,
  auth: Credentials,
  options: WaitOptions,
): Promise<JobAnswer> {
  const { timeoutMs, pollMs = 500, initialBackoffMs = 1000, maxBackoffMs = 15_000, requestTimeoutMs = 30_000 } = options;
  const events = options.events ?? {};
  const started = Date.now();
  const deadline = started + timeoutMs;
  let last: JobAnswer | undefined;
  let lastError: Error | undefined;
  let failures = 0;
  for (;;) {
    let delay: number;
    try {
      // Bounded so that a gateway that accepts but never answers cannot outlast the timeout (by more than 1 s).
      const budget = Math.min(requestTimeoutMs, Math.max(deadline - Date.now(), 1000));
      last = await client.get(id, auth, { signal: AbortSignal.timeout(budget) });
      if (failures > 0) events.connectionBack?.();
      failures = 0;
      lastError = undefined;
      if (last.status === 'completed' || last.status === 'failed') return last;
      events.progress?.(last, Date.now() - started);
      delay = pollMs;
    } catch (error) {
      if (!isTemporary(error)) throw error;
      if (failures === 0) events.connectionLost?.(describe(error));
      failures += 1;
      lastError = error;
      delay = retryDelay(error, failures, { pollMs, initialBackoffMs, maxBackoffMs });
    }
    const remaining = deadline - Date.now();
    if (remaining <= 0) throw new WaitTimeoutError(id, timeoutMs, last, lastError);
    await sleep(Math.min(delay, remaining));
  }
}

/** The server's Retry-After when it sent one, else exponential backoff with jitter (so that many CLIs spread out). */
export function retryDelay(
  error: ConnectionError | ApiError | null,
  failures: number,
  limits: { pollMs: number; initialBackoffMs: number; maxBackoffMs: number },
): number {
  if (error instanceof ApiError && error.retryAfterMs !== undefined) return Math.max(error.retryAfterMs, limits.pollMs);
  const ceiling = Math.min(limits.maxBackoffMs, limits.initialBackoffMs * 2 ** (failures - 1));
  return ceiling / 2 + Math.random() * (ceiling / 2);
}

export function describe(error: ConnectionError | ApiError): string {
  return error instanceof ApiError ? `HTTP ${error.status} ${error.code}: ${error.message}` : error.message;
}

function formatSeconds(ms: number): string {
  const seconds = ms / 1000;
  return `${Number.isInteger(seconds) ? seconds : seconds.toFixed(1)} s`;
}
