/**
 * Statuses that say "try again": timeout (408), too early (425), overloaded (429, and Ollama's 503 when its queue is
 * full), a failed load that found the card still full (Ollama's 500 out of memory), restarting or gateway trouble
 * (502-504). 501 and the rest of 5xx are answers that will not change by asking again.
 */
export const RETRYABLE_STATUSES: readonly number[] = [408, 425, 429, 500, 502, 503, 504];

/** True for a status worth retrying (RETRYABLE_STATUSES). */
export function isRetryableStatus(status: number): boolean {
  return RETRYABLE_STATUSES.includes(status);
}
