import type { Logger } from '@nestjs/common';
import { ErrorCode } from '@introeval/contracts';
import { FailureReporter } from './failure.reporter.js';
import type { StageFailure } from './jetstream.options.js';

const failure: StageFailure = {
  stage: 'rate',
  subject: 'introeval.stage.rate',
  jobId: null,
  code: ErrorCode.InvalidInput,
  message: 'payload is not JSON',
  final: true,
  deliveries: 1,
};
const quiet = { error: () => undefined, warn: () => undefined } as unknown as Logger;

/** An onFailure that throws its first `failures` calls. */
function hook(failures: number) {
  let calls = 0;
  return {
    onFailure: () => (++calls <= failures ? Promise.reject(new Error('KV unavailable')) : Promise.resolve()),
    calls: () => calls,
  };
}

describe('FailureReporter', () => {
  it('says whether onFailure took the failure, trying once by default', async () => {
    const flaky = hook(1);
    const reporter = new FailureReporter(flaky.onFailure, quiet);
    expect(await reporter.report(failure)).toBe(false);
    expect(await reporter.report(failure)).toBe(true);
    expect(flaky.calls()).toBe(2);
  });

  it('retries with a delay up to the given attempts', async () => {
    const flaky = hook(2);
    const started = Date.now();
    expect(await new FailureReporter(flaky.onFailure, quiet).report(failure, { attempts: 3, delayMs: 30 })).toBe(true);
    expect(flaky.calls()).toBe(3);
    expect(Date.now() - started).toBeGreaterThanOrEqual(55);

    const down = hook(Infinity);
    expect(await new FailureReporter(down.onFailure, quiet).report(failure, { attempts: 2, delayMs: 0 })).toBe(false);
    expect(down.calls()).toBe(2);
  });
});
