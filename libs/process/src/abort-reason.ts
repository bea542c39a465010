/**
 * The signal's reason as an Error: by default a DOMException named AbortError; anything else (a string, a number
 * given to `abort()`) is wrapped, so callers can always reject with an Error and keep the original as its cause.
 */
export function abortReason(signal: AbortSignal): Error {
  const reason: unknown = signal.reason;
  if (reason instanceof Error) return reason;
  const error = new Error(`aborted: ${String(reason)}`, { cause: reason });
  error.name = 'AbortError';
  return error;
}
