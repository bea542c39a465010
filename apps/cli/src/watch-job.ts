import { setTimeout as sleep } from 'node:timers/promises';
import type { ApiClient, Credentials, JobAnswer } from './api-client.js';
import { describe, isTemporary, retryDelay, WaitTimeoutError, type WaitEvents } from './wait-for-result.js';

export interface WatchOptions {
  timeoutMs: number;
  /** Called with every status the stream carries, finished or not. */
  onStatus?: (status: JobAnswer) => void;
  events?: WaitEvents;
  initialBackoffMs?: number;
  maxBackoffMs?: number;
}

const isFinal = (status: JobAnswer) => status.status === 'completed' || status.status === 'failed';

/** The stream ended or said the live view is away: connect again. */
class StreamInterrupted extends Error {}

/**
 * Follows a job through the gateway's event stream until it is completed or failed. A dropped stream, an
 * `unavailable` event (the status service is away) or a 502/503/504 is retried with backoff until the timeout, like
 * `--wait`; the stream starts again with the job's current state, so nothing is missed across a reconnect.
 */
export async function watchJob(client: Pick<ApiClient, 'events'>, id: string, auth: Credentials, options: WatchOptions): Promise<JobAnswer> {
  const { timeoutMs, initialBackoffMs = 1000, maxBackoffMs = 15_000 } = options;
  const events = options.events ?? {};
  const started = Date.now();
  const deadline = started + timeoutMs;
  let last: JobAnswer | undefined;
  let lastError: Error | undefined;
  let failures = 0;
  for (;;) {
    const signal = AbortSignal.timeout(Math.max(deadline - Date.now(), 1));
    try {
      for await (const event of client.events(id, auth, signal)) {
        if (event.type === 'status') {
          if (failures > 0) events.connectionBack?.();
          failures = 0;
          last = event.data as JobAnswer;
          options.onStatus?.(last);
          if (isFinal(last)) return last;
          events.progress?.(last, Date.now() - started);
        } else if (event.type === 'unavailable') {
          const error = (event.data as { error?: { message?: string } }).error;
          throw new StreamInterrupted(`the live view is unavailable: ${error?.message ?? 'no reason given'}`);
        }
      }
      // Ended without a final state (a gateway restart, a proxy timeout): connect again.
      if (signal.aborted) throw new WaitTimeoutError(id, timeoutMs, last, lastError);
      throw new StreamInterrupted('the event stream ended early');
    } catch (error) {
      if (error instanceof WaitTimeoutError) throw error;
      if (signal.aborted) throw new WaitTimeoutError(id, timeoutMs, last, lastError);
      const interrupted = error instanceof StreamInterrupted;
      if (!interrupted && !isTemporary(error)) throw error;
      if (failures === 0) events.connectionLost?.(interrupted ? error.message : describe(error));
      failures += 1;
      lastError = error;
      const remaining = deadline - Date.now();
      if (remaining <= 0) throw new WaitTimeoutError(id, timeoutMs, last, lastError);
      const backoff = { pollMs: 500, initialBackoffMs, maxBackoffMs };
      const delay = interrupted ? retryDelay(null, failures, backoff) : retryDelay(error, failures, backoff);
      await sleep(Math.min(delay, remaining));
    }
  }
}
