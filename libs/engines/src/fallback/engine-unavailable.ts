import { ErrorCode, IntroEvalError } from '@introeval/contracts';

/** Called when the fallback answers instead of the configured engine, with the error that made it step in. */
export type FallbackListener = (error: IntroEvalError) => void;

/**
 * Whether a failed call may be answered by the fallback instead: only when the engine could not be reached or did
 * not answer in time (ENGINE_UNAVAILABLE, after its own retries), and the caller has not given up on the call.
 * Anything else is not the engine's absence: an invalid answer, a missing model (a deployment error), an abort.
 */
export function fallbackMayAnswer(error: unknown, signal: AbortSignal | undefined): error is IntroEvalError {
  return error instanceof IntroEvalError && error.code === ErrorCode.EngineUnavailable && !signal?.aborted;
}
