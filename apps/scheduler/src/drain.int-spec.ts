import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { LeaseStore, openLeaseBuckets, WorkerPresence } from '@introeval/lease';
import { eventually, LAB_8GB_MODELS, LAB_8GB_VRAM_MB } from '@introeval/testing';
import { HEARTBEAT_MS, NO_VIOLATIONS, nodeInvariants, nodeSpec, SchedulerHarness } from './scheduler.fixture.js';
import { AdaptivePolicy } from '@introeval/scheduling';

const NODE = 'gpu-drain';
const ACK_WAIT_MS = 1000;
const quiet = { log: () => undefined, warn: () => undefined };

describe('a phase switch while a worker of the draining phase dies', () => {
  let harness: SchedulerHarness;

  beforeAll(async () => {
    harness = await SchedulerHarness.start();
  });
  afterAll(async () => {
    await harness?.dispose();
  });

  it("waits for the dead worker's heartbeat to expire, then switches; its job comes back and completes", async () => {
    await harness.resetQueues(ACK_WAIT_MS);
    const models = LAB_8GB_MODELS;
    const gpu = await harness.gpuNode(LAB_8GB_VRAM_MB, models);
    const buckets = await openLeaseBuckets(harness.nc, harness.leaseTiming);
    const presence = new WorkerPresence(buckets, quiet);
    const lease = new LeaseStore(buckets, quiet);
    const worker = (stage: 'transcribe' | 'extract' | 'rate') => harness.worker({ node: NODE, stage, gpu, models, concurrency: 1 });

    const doomed = await worker('transcribe');
    await Promise.all([worker('extract'), worker('rate')]);
    await harness.scheduler({
      node: nodeSpec(NODE, gpu, models, LAB_8GB_VRAM_MB),
      budgetMb: LAB_8GB_VRAM_MB,
      policy: new AdaptivePolicy({ maxWaitSec: 600, lingerSec: 0 }),
    });

    // The doomed worker's transcription never answers: it holds its job until it dies.
    gpu.inject({ kind: 'hang', api: 'speaches', path: '/v1/audio/transcriptions' });
    await harness.publish(['held'], 'transcribe');
    await eventually(() => doomed.holding === 1, { what: 'the doomed worker to hold the job' });
    const survivor = await worker('transcribe');

    // Work for another group: speech-to-text has nothing left to start, so the node switches, and the drain must wait.
    await harness.publish(['text-1'], 'extract');
    const draining = await eventually(async () => {
      const current = await lease.read(NODE);
      return current?.record.state === 'draining' && current.record.phase.includes('stt') ? current : undefined;
    }, { what: 'the stt phase to drain' });
    const doomedReport = async () => (await presence.live(NODE, 'stt')).find((r) => r.workerId === doomed.workerId);
    expect(await doomedReport()).toMatchObject({ inFlight: 1, state: 'busy' });
    await new Promise((resolve) => setTimeout(resolve, 3 * HEARTBEAT_MS));
    expect((await lease.read(NODE))?.revision).toBe(draining.revision); // still draining while it heartbeats

    const crashedAt = performance.now();
    await doomed.crash();

    const released = await eventually(
      () => (harness.writes.get(NODE) ?? []).find((w) => w.record.state === 'releasing' && w.record.epoch === draining.record.epoch),
      { what: 'the drain to end' },
    );
    // Not before the report could have expired: its last heartbeat was at most one period before the crash.
    expect(released.at - crashedAt).toBeGreaterThanOrEqual(harness.leaseTiming.heartbeatTtlMs - HEARTBEAT_MS - 50);
    expect(await doomedReport()).toBeUndefined();

    // The job it held is redelivered after ack_wait, the node comes back to speech-to-text for it, and it completes.
    await harness.allCompleted(['held', 'text-1']);
    expect(Object.fromEntries(harness.completions)).toEqual({ held: 1, 'text-1': 1 });
    expect(doomed.started).toBe(1);
    expect(survivor.started).toBe(1);
    expect(nodeInvariants(harness, NODE, gpu, LAB_8GB_VRAM_MB)).toEqual(NO_VIOLATIONS);
    await harness.closeAll();
  });
});
