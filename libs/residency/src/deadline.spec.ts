import { describe, expect, it } from '@jest/globals';
import { ErrorCode, IntroEvalError } from '@introeval/contracts';
import { Deadline, pollUntilDone, retryUntilDone, type FailurePolicy } from './deadline.js';

const retryAll: FailurePolicy = () => 'retry';

describe('retryUntilDone', () => {
  it('retries what the policy calls retryable and returns the first success', async () => {
    let attempts = 0;
    const result = await retryUntilDone(new Deadline('loading x', 5000), 1, retryAll, async () => {
      if (++attempts < 3) throw new Error('connection refused');
      return 'ok';
    });
    expect(result).toBe('ok');
    expect(attempts).toBe(3);
  });

  it('throws what the policy returns, at once', async () => {
    const refused = new Error('no such model');
    let attempts = 0;
    const failing = retryUntilDone(new Deadline('loading x', 5000), 1, () => refused, async () => {
      attempts++;
      throw new Error('404');
    });
    await expect(failing).rejects.toBe(refused);
    expect(attempts).toBe(1);
  });

  it('ends with RESIDENCY_TIMEOUT quoting the last error once the time is up', async () => {
    const error = await retryUntilDone(new Deadline('unloading y', 50), 5, retryAll, async () => {
      throw new Error('409 in use');
    }).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(IntroEvalError);
    expect(error).toMatchObject({ code: ErrorCode.ResidencyTimeout, permanent: false });
    expect((error as Error).message).toBe('unloading y: not done within 50 ms (last seen: 409 in use)');
  });

  it('cuts a hanging step at the deadline through the signal it hands over', async () => {
    const error = await retryUntilDone(new Deadline('loading z', 50), 5, retryAll, (signal) =>
      new Promise((_, reject) => signal.addEventListener('abort', () => reject(new Error('aborted')))),
    ).catch((e: unknown) => e);

    expect(error).toMatchObject({ code: ErrorCode.ResidencyTimeout, message: 'loading z: not done within 50 ms' });
  });

  it("rejects with the caller's abort reason, not a timeout", async () => {
    const controller = new AbortController();
    const pending = retryUntilDone(new Deadline('loading z', 5000, controller.signal), 5, retryAll, (signal) =>
      new Promise((_, reject) => signal.addEventListener('abort', () => reject(new Error('aborted')))),
    );
    controller.abort(new Error('shutting down'));
    await expect(pending).rejects.toThrow('shutting down');
  });
});

describe('pollUntilDone', () => {
  it('polls until the probe says true', async () => {
    let polls = 0;
    await pollUntilDone(new Deadline('loading x', 5000), 1, retryAll, async () => (++polls < 4 ? 'not yet' : true));
    expect(polls).toBe(4);
  });

  it('times out quoting the last state the probe reported', async () => {
    const error = await pollUntilDone(new Deadline('unloading x', 50), 5, retryAll, async () => 'mistral still listed').catch((e: unknown) => e);
    expect((error as Error).message).toBe('unloading x: not done within 50 ms (last seen: mistral still listed)');
  });
});
