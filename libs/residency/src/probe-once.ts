import { ErrorCode, IntroEvalError } from '@introeval/contracts';

/** Longest a single "what is loaded now" question may take: it is asked at start-up, where waiting helps no one. */
const PROBE_LIMIT_MS = 10_000;

/**
 * Asks an engine one question with a short time limit. An engine that cannot answer is reported as
 * ENGINE_UNAVAILABLE (transient) rather than guessed: "not loaded" would be a guess the scheduler acts on.
 */
export async function probeOnce<T>(description: string, timeoutMs: number, ask: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const limit = Math.min(timeoutMs, PROBE_LIMIT_MS);
  try {
    return await ask(AbortSignal.timeout(limit));
  } catch (error) {
    if (error instanceof IntroEvalError) throw error;
    const reason = error instanceof Error ? error.message : String(error);
    throw new IntroEvalError(ErrorCode.EngineUnavailable, `cannot tell what ${description} has loaded: ${reason}`, false, {
      cause: error,
    });
  }
}
