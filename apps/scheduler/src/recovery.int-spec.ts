import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { LeaseStore, openLeaseBuckets } from '@introeval/lease';
import { eventually, LAB_8GB_MODELS, LAB_8GB_VRAM_MB } from '@introeval/testing';
import { AdaptivePolicy } from '@introeval/scheduling';
import { nodeSpec, SchedulerHarness } from './scheduler.fixture.js';

const NODE = 'gpu-recover';
const quiet = { log: () => undefined, warn: () => undefined };

describe('a node whose lease record is unreadable', () => {
  let harness: SchedulerHarness;

  beforeAll(async () => {
    harness = await SchedulerHarness.start();
  });
  afterAll(async () => {
    await harness?.dispose();
  });

  it('is started over idle above every epoch it had, then scheduled as usual', async () => {
    await harness.resetQueues(30_000);
    const gpu = await harness.gpuNode(LAB_8GB_VRAM_MB, LAB_8GB_MODELS);
    const buckets = await openLeaseBuckets(harness.nc, harness.leaseTiming);
    const since = new Date().toISOString();
    const good = { node: NODE, phase: ['rate'], state: 'granted', epoch: 41, holder: 'scheduler-gone', since };
    await buckets.leases.put(NODE, JSON.stringify(good));
    await buckets.leases.put(NODE, '{"phase": "half-written');
    const store = new LeaseStore(buckets, quiet);
    await expect(store.read(NODE)).rejects.toThrow();

    await harness.scheduler({
      node: nodeSpec(NODE, gpu, LAB_8GB_MODELS, LAB_8GB_VRAM_MB),
      budgetMb: LAB_8GB_VRAM_MB,
      policy: new AdaptivePolicy({ maxWaitSec: 600, lingerSec: 0 }),
    });

    // An empty card warms up speech-to-text: the node is back in business, at epochs above the lost record's.
    const recovered = await eventually(async () => {
      const lease = await store.read(NODE).catch(() => null);
      return lease?.record.state === 'granted' ? lease : undefined;
    }, { what: 'the node to be granted again' });
    expect(recovered.record.phase).toEqual(['stt']);
    expect(recovered.record.epoch).toBeGreaterThan(41);
    expect(gpu.oomErrors()).toBe(0);
  });
});
