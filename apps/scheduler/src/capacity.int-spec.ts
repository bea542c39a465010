import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { LAB_8GB_MODELS, LAB_8GB_VRAM_MB, type BusyInterval, type GpuModelSpec, type GpuNodeHandle } from '@introeval/testing';
import { GPU_STAGES } from './gated-worker.fixture.js';
import { AdaptivePolicy } from '@introeval/scheduling';
import { NO_VIOLATIONS, nodeInvariants, nodeSpec, SchedulerHarness } from './scheduler.fixture.js';

const BIG_CARD_MB = 24_576;
/**
 * Half the other files' speed: makespans here are simulated seconds, i.e. real time x scale, so a stall of this
 * (shared, 2-core) machine counts; at 50 the scale-out bound below survives a stall of about 2 s.
 */
const TIME_SCALE = 50;
const adaptive = () => new AdaptivePolicy({ maxWaitSec: 600 / TIME_SCALE, lingerSec: 8 / TIME_SCALE });

/** True when a request of one group ran while a request of another group ran: the stages shared the card. */
function groupsRanTogether(busy: BusyInterval[]): boolean {
  return busy.some((a) => busy.some((b) => a.group !== b.group && a.start < (b.end ?? Infinity) && b.start < (a.end ?? Infinity)));
}

describe('capacity: co-residency on a big card, and scale-out over GPU nodes', () => {
  let harness: SchedulerHarness;

  beforeAll(async () => {
    harness = await SchedulerHarness.start({ timeScale: TIME_SCALE });
  });
  afterAll(async () => {
    await harness?.dispose();
  });

  /** A GPU node with one worker per stage and its scheduler, as a deployment of one node looks. */
  async function startNode(name: string, vramMb: number, models: readonly GpuModelSpec[]): Promise<GpuNodeHandle> {
    const gpu = await harness.gpuNode(vramMb, models);
    for (const stage of GPU_STAGES) await harness.worker({ node: name, stage, gpu, models, concurrency: 1 });
    await harness.scheduler({ node: nodeSpec(name, gpu, models, vramMb, TIME_SCALE), budgetMb: vramMb, policy: adaptive() });
    return gpu;
  }

  it('on a 24 GB card grants all three groups at once: three loads, no unload, and the stages run side by side', async () => {
    await harness.resetQueues(5000);
    const node = 'gpu-big';
    const gpu = await startNode(node, BIG_CARD_MB, LAB_8GB_MODELS);
    const media = Array.from({ length: 5 }, (_, i) => `big-${i}`);
    const text = ['big-text-0', 'big-text-1'];
    await harness.publish(media, 'transcribe');
    await harness.publish(text, 'extract');
    await harness.allCompleted([...media, ...text]);

    expect(gpu.loads()).toBe(3);
    expect(gpu.residency().map((r) => [r.group, r.unloadedAt])).toEqual(
      expect.arrayContaining([
        ['stt', null],
        ['extract', null],
        ['rate', null],
      ]),
    );
    expect(gpu.residency()).toHaveLength(3);
    const grants = harness.records(node).filter((r) => r.state === 'granted');
    expect(grants.map((r) => [r.epoch, r.phase])).toEqual([[1, ['stt', 'extract', 'rate']]]);
    expect(groupsRanTogether(gpu.busyIntervals())).toBe(true);
    expect(nodeInvariants(harness, node, gpu, BIG_CARD_MB)).toEqual(NO_VIOLATIONS);
    await harness.closeAll();
  });

  /**
   * Simulated seconds from the burst to the end of the last request, on each node's own clock (the stand-ins run at
   * the same time scale, so their clocks agree on durations); the longest node is the makespan.
   */
  async function makespan(nodes: string[], jobs: number): Promise<number> {
    await harness.resetQueues(5000);
    const gpus = [];
    for (const name of nodes) gpus.push(await startNode(name, LAB_8GB_VRAM_MB, LAB_8GB_MODELS));
    const ids = Array.from({ length: jobs }, (_, i) => `${nodes[0]}-${i}`);
    const startedAt = gpus.map((gpu) => gpu.now());
    await harness.publish(ids, 'transcribe');
    await harness.allCompleted(ids);
    const spans = gpus.map((gpu, i) => Math.max(...gpu.busyIntervals().map((b) => b.end ?? gpu.now())) - startedAt[i]);
    for (const [i, name] of nodes.entries()) expect(nodeInvariants(harness, name, gpus[i], LAB_8GB_VRAM_MB)).toEqual(NO_VIOLATIONS);
    // Both nodes did their share.
    for (const gpu of gpus) {
      expect(gpu.busyIntervals().filter((b) => b.group === 'rate').length).toBeGreaterThanOrEqual(jobs / (2 * nodes.length));
    }
    await harness.closeAll();
    return Math.max(...spans);
  }

  it('two GPU nodes sharing the stage queues finish a burst in well under the simulated time of one', async () => {
    const one = await makespan(['gpu-solo'], 12);
    const two = await makespan(['gpu-left', 'gpu-right'], 12);
    // The work alone: 12 x (10 + 15 + 25) s on one card, half of it on each of two.
    expect(one).toBeGreaterThanOrEqual(600);
    expect(two / one).toBeLessThan(0.7);
  });
});
