import { describe, expect, it } from '@jest/globals';
import { FcfsSwapPolicy, OneAtATimePolicy, StrictBatchPolicy } from './baseline.policies.js';
import { nodeView } from './policy.fixture.js';

const STAY = { kind: 'stay' };

describe('StrictBatchPolicy', () => {
  it('runs a batch of min(10, waiting) through speech-to-text at concurrency 1, then extraction and rating at 2', () => {
    const policy = new StrictBatchPolicy();
    expect(policy.decide(nodeView({ phase: [], state: 'idle', groups: { stt: { waiting: 25 } } }))).toEqual({
      kind: 'switch',
      phase: ['stt'],
      concurrency: { stt: 1 },
      quota: 10,
    });

    const stt = (fields: { started: number; running: number; waiting: number }) =>
      nodeView({
        phase: ['stt'],
        quota: 10,
        groups: { stt: { startedInEpoch: fields.started, running: fields.running, waiting: fields.waiting }, extract: { waiting: 3 } },
      });
    expect(policy.decide(stt({ started: 4, running: 1, waiting: 21 }))).toEqual(STAY);
    // The quota is used up, but the last job still runs.
    expect(policy.decide(stt({ started: 10, running: 1, waiting: 15 }))).toEqual(STAY);
    expect(policy.decide(stt({ started: 10, running: 0, waiting: 15 }))).toEqual({
      kind: 'switch',
      phase: ['extract'],
      concurrency: { extract: 2 },
      quota: 10,
    });

    const extract = nodeView({ phase: ['extract'], quota: 10, groups: { stt: { waiting: 15 }, extract: { startedInEpoch: 10 } } });
    expect(policy.decide(extract)).toEqual({ kind: 'switch', phase: ['rate'], concurrency: { rate: 2 }, quota: 10 });
  });

  it('starts the next batch only once rating has finished the previous one', () => {
    const policy = new StrictBatchPolicy();
    policy.decide(nodeView({ phase: [], state: 'idle', groups: { stt: { waiting: 15 } } }));
    policy.decide(nodeView({ phase: ['stt'], quota: 10, groups: { stt: { startedInEpoch: 10, waiting: 5 } } }));
    policy.decide(nodeView({ phase: ['extract'], quota: 10, groups: { stt: { waiting: 5 }, extract: { startedInEpoch: 10 } } }));

    const rate = (started: number, running: number) =>
      nodeView({
        phase: ['rate'],
        quota: 10,
        groups: { stt: { waiting: 5, oldestWaitSec: 5000 }, rate: { startedInEpoch: started, running, waiting: 10 - started } },
      });
    expect(policy.decide(rate(6, 2))).toEqual(STAY);
    expect(policy.decide(rate(10, 1))).toEqual(STAY);
    // The second batch is what is left: 5.
    expect(policy.decide(rate(10, 0))).toEqual({ kind: 'switch', phase: ['stt'], concurrency: { stt: 1 }, quota: 5 });
  });

  it('resumes a grant it did not make as a step of a batch: it carries on to extraction instead of starting over', () => {
    const policy = new StrictBatchPolicy();
    policy.resume({ phase: ['stt'], quota: 10 });
    const midBatch = nodeView({ phase: ['stt'], quota: 10, groups: { stt: { startedInEpoch: 4, running: 1, waiting: 20 } } });
    expect(policy.decide(midBatch)).toEqual(STAY);
    const done = nodeView({ phase: ['stt'], quota: 10, groups: { stt: { startedInEpoch: 10, waiting: 15 }, extract: { waiting: 10 } } });
    expect(policy.decide(done)).toEqual({ kind: 'switch', phase: ['extract'], concurrency: { extract: 2 }, quota: 10 });
    // Without it, a fresh policy would start a new speech-to-text batch in the middle of this one.
    expect(new StrictBatchPolicy().decide(midBatch)).toEqual({ kind: 'switch', phase: ['stt'], concurrency: { stt: 1 }, quota: 10 });
  });

  it('ends a step early when its queue runs dry before the quota is used', () => {
    const policy = new StrictBatchPolicy();
    policy.decide(nodeView({ phase: [], state: 'idle', groups: { stt: { waiting: 4 } } }));
    const dry = nodeView({ phase: ['stt'], quota: 4, groups: { stt: { startedInEpoch: 3, waiting: 0 }, extract: { waiting: 3 } } });
    expect(policy.decide(dry)).toEqual({ kind: 'switch', phase: ['extract'], concurrency: { extract: 2 }, quota: 4 });
  });

  it('waits to fill a batch while uploads are on their way, not once nothing more is coming', () => {
    const policy = new StrictBatchPolicy();
    expect(policy.decide(nodeView({ phase: [], state: 'idle', groups: { stt: { waiting: 4, upstream: 3 } } }))).toEqual(STAY);
    expect(policy.decide(nodeView({ phase: [], state: 'idle', groups: { stt: { waiting: 10, upstream: 5 } } }))).toEqual({
      kind: 'switch',
      phase: ['stt'],
      concurrency: { stt: 1 },
      quota: 10,
    });
    const other = new StrictBatchPolicy();
    expect(other.decide(nodeView({ phase: [], state: 'idle', groups: { stt: { waiting: 4, upstream: 0 } } }))).toEqual({
      kind: 'switch',
      phase: ['stt'],
      concurrency: { stt: 1 },
      quota: 4,
    });
  });

  it('starts a batch of text submissions at extraction, and stays when nothing waits', () => {
    const policy = new StrictBatchPolicy();
    expect(policy.decide(nodeView({ phase: [], state: 'idle' }))).toEqual(STAY);
    expect(policy.decide(nodeView({ phase: [], state: 'idle', groups: { extract: { waiting: 3 } } }))).toEqual({
      kind: 'switch',
      phase: ['extract'],
      concurrency: { extract: 2 },
      quota: 3,
    });
  });

  it('decides nothing while a switch is under way', () => {
    const policy = new StrictBatchPolicy();
    expect(policy.decide(nodeView({ state: 'draining', groups: { stt: { waiting: 5 } } }))).toEqual(STAY);
  });
});

describe('FcfsSwapPolicy', () => {
  it('swaps to the group whose oldest job has waited longest', () => {
    const policy = new FcfsSwapPolicy();
    const view = nodeView({
      phase: ['stt'],
      groups: { stt: { waiting: 3, oldestWaitSec: 5 }, extract: { waiting: 1, oldestWaitSec: 20 }, rate: { waiting: 1, oldestWaitSec: 12 } },
    });
    expect(policy.decide(view)).toEqual({ kind: 'switch', phase: ['extract'], concurrency: { extract: 1 } });
  });

  it('stays while the oldest waiting job belongs to its phase, and when nothing waits', () => {
    const policy = new FcfsSwapPolicy();
    const view = nodeView({ phase: ['stt'], groups: { stt: { waiting: 3, oldestWaitSec: 30 }, rate: { waiting: 1, oldestWaitSec: 29 } } });
    expect(policy.decide(view)).toEqual(STAY);
    expect(policy.decide(nodeView({ phase: ['rate'] }))).toEqual(STAY);
  });

  it('starts an idle node on the oldest waiting group, packed with what fits beside it', () => {
    const policy = new FcfsSwapPolicy();
    const queues = { stt: { waiting: 2, oldestWaitSec: 9 }, rate: { waiting: 1, oldestWaitSec: 3 } };
    const idle = { phase: [], state: 'idle' as const, groups: queues };
    expect(policy.decide(nodeView(idle))).toEqual({ kind: 'switch', phase: ['stt'], concurrency: { stt: 1 } });
    const engines = { ...queues, stt: { ...queues.stt, concurrency: 8 }, extract: { concurrency: 4 } };
    const big = nodeView({ ...idle, budgetMb: 24_576, groups: engines });
    expect(policy.decide(big)).toEqual({ kind: 'switch', phase: ['stt', 'extract', 'rate'], concurrency: { stt: 8, extract: 4, rate: 1 } });
  });
});

describe('OneAtATimePolicy', () => {
  it('grants one job at a time at concurrency 1, the most downstream first', () => {
    const policy = new OneAtATimePolicy();
    expect(policy.decide(nodeView({ phase: [], state: 'idle', groups: { stt: { waiting: 3 } } }))).toEqual({
      kind: 'switch',
      phase: ['stt'],
      concurrency: { stt: 1 },
      quota: 1,
    });
    const stt = (started: number, running: number, sttWaiting: number, extractWaiting: number) =>
      nodeView({
        phase: ['stt'],
        quota: 1,
        groups: { stt: { startedInEpoch: started, running, waiting: sttWaiting }, extract: { waiting: extractWaiting } },
      });
    expect(policy.decide(stt(0, 0, 3, 0))).toEqual(STAY);
    expect(policy.decide(stt(1, 1, 2, 0))).toEqual(STAY);
    // The student's transcript is done: their extraction goes before the next student's speech-to-text.
    expect(policy.decide(stt(1, 0, 2, 1))).toEqual({ kind: 'switch', phase: ['extract'], concurrency: { extract: 1 }, quota: 1 });
  });

  it('grants the same group again under a new epoch when it is still the most downstream with work', () => {
    const policy = new OneAtATimePolicy();
    policy.decide(nodeView({ phase: [], state: 'idle', groups: { rate: { waiting: 2 } } }));
    const done = nodeView({ phase: ['rate'], quota: 1, groups: { rate: { startedInEpoch: 1, waiting: 1 } } });
    expect(policy.decide(done)).toEqual({ kind: 'switch', phase: ['rate'], concurrency: { rate: 1 }, quota: 1 });
  });

  it('resumes a one-job grant it did not make: it waits for that job before granting the next', () => {
    const running = nodeView({ phase: ['stt'], quota: 1, groups: { stt: { startedInEpoch: 1, running: 1, waiting: 2 }, extract: { waiting: 1 } } });
    const policy = new OneAtATimePolicy();
    policy.resume({ phase: ['stt'], quota: 1 });
    expect(policy.decide(running)).toEqual(STAY);
    // A fresh policy would switch away under the running job at once.
    expect(new OneAtATimePolicy().decide(running)).toMatchObject({ kind: 'switch', phase: ['extract'] });
  });

  it('waits when nothing is queued, and starts again when work arrives', () => {
    const policy = new OneAtATimePolicy();
    expect(policy.decide(nodeView({ phase: ['rate'], quota: 1, groups: { rate: { startedInEpoch: 1 } } }))).toEqual(STAY);
    expect(policy.decide(nodeView({ phase: ['rate'], quota: 1, groups: { stt: { waiting: 1 } } }))).toEqual({
      kind: 'switch',
      phase: ['stt'],
      concurrency: { stt: 1 },
      quota: 1,
    });
  });
});
