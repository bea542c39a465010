import { ErrorCode, IntroEvalError } from '@introeval/contracts';
import { abortReason } from '@introeval/process';

/**
 * The time budget of one residency operation (a load or an unload), shared by all of its steps: the request that
 * starts it, the retries while the engine restarts and the polling that confirms it. `signal` fires when the
 * caller aborts or the time is up, so every request made under it stops at once.
 */
export class Deadline {
  readonly signal: AbortSignal;
  private readonly expiresAt: number;

  constructor(
    /** What is being done, as the timeout error should say it: "unloading ollama mistral at http://...". */
    readonly what: string,
    readonly timeoutMs: number,
    private readonly caller?: AbortSignal,
  ) {
    this.expiresAt = Date.now() + timeoutMs;
    const timeout = AbortSignal.timeout(timeoutMs);
    this.signal = caller ? AbortSignal.any([caller, timeout]) : timeout;
  }

  get expired(): boolean {
    return Date.now() >= this.expiresAt || (this.signal.aborted && !this.caller?.aborted);
  }

  /**
   * Throws when the operation must stop: the caller's abort reason, or RESIDENCY_TIMEOUT naming what was last
   * seen (`lastSeen`: the state still waited for, or the last error).
   */
  throwIfDone(lastSeen?: unknown): void {
    if (this.caller?.aborted) throw abortReason(this.caller);
    if (this.expired) throw this.timeoutError(lastSeen);
  }

  timeoutError(lastSeen?: unknown): IntroEvalError {
    const detail = describe(lastSeen);
    return new IntroEvalError(
      ErrorCode.ResidencyTimeout,
      `${this.what}: not done within ${this.timeoutMs} ms${detail ? ` (last seen: ${detail})` : ''}`,
      false,
      { cause: lastSeen instanceof Error ? lastSeen : undefined },
    );
  }

  /** Waits `ms`, or less when the deadline fires first (the next `throwIfDone` then says why). */
  sleep(ms: number): Promise<void> {
    const wait = Math.max(0, Math.min(ms, this.expiresAt - Date.now()));
    return new Promise((resolve) => {
      if (this.signal.aborted) return resolve();
      const done = () => {
        clearTimeout(timer);
        this.signal.removeEventListener('abort', done);
        resolve();
      };
      const timer = setTimeout(done, wait);
      this.signal.addEventListener('abort', done, { once: true });
    });
  }
}

/** What to do with a failed step: try again after a pause, or give up with this error. */
export type FailurePolicy = (error: unknown) => 'retry' | Error;

/**
 * Runs `step` until it succeeds. A failure the policy calls retryable (the engine is restarting, the model is in
 * use) is tried again every `pollMs` until the deadline; any other failure is thrown at once.
 */
export async function retryUntilDone<T>(
  deadline: Deadline,
  pollMs: number,
  policy: FailurePolicy,
  step: (signal: AbortSignal) => Promise<T>,
): Promise<T> {
  let lastError: unknown;
  for (;;) {
    deadline.throwIfDone(lastError);
    try {
      return await step(deadline.signal);
    } catch (error) {
      // A request cut by the deadline or by the caller reports that, not the AbortError it died of.
      if (deadline.signal.aborted) deadline.throwIfDone(lastError);
      const verdict = policy(error);
      if (verdict !== 'retry') throw verdict;
      lastError = error;
    }
    await deadline.sleep(pollMs);
  }
}

/**
 * Polls `probe` every `pollMs` until it returns true. Any other answer is the state still waited for ("mistral
 * still listed by /api/ps"), and the timeout error quotes the last one. Failures go through `policy` as in
 * `retryUntilDone`.
 */
export async function pollUntilDone(
  deadline: Deadline,
  pollMs: number,
  policy: FailurePolicy,
  probe: (signal: AbortSignal) => Promise<true | string>,
): Promise<void> {
  let lastSeen: unknown;
  for (;;) {
    deadline.throwIfDone(lastSeen);
    try {
      const state = await probe(deadline.signal);
      if (state === true) return;
      lastSeen = state;
    } catch (error) {
      if (deadline.signal.aborted) deadline.throwIfDone(lastSeen);
      const verdict = policy(error);
      if (verdict !== 'retry') throw verdict;
      lastSeen = error;
    }
    await deadline.sleep(pollMs);
  }
}

function describe(lastSeen: unknown): string {
  if (lastSeen === undefined) return '';
  if (lastSeen instanceof Error) return lastSeen.message;
  return typeof lastSeen === 'string' ? lastSeen : JSON.stringify(lastSeen);
}
