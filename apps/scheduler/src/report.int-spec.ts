import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { openSchedulerReportsBucket, type SchedulerReport } from '@introeval/lease';
import { AdaptivePolicy } from '@introeval/scheduling';
import { eventually, LAB_8GB_MODELS, LAB_8GB_VRAM_MB } from '@introeval/testing';
import { GPU_STAGES } from './gated-worker.fixture.js';
import { nodeSpec, SchedulerHarness, TIME_SCALE } from './scheduler.fixture.js';

const NODE = 'gpu-report';
const SETTINGS = { maxWaitSec: 600 / TIME_SCALE, lingerSec: 0 };
const LLAMA = LAB_8GB_MODELS.find((m) => m.group === 'rate')!;

/** The moving average the scheduler keeps (alpha 0.3), over `samples`. */
function ewma(samples: number[]): number {
  return samples.reduce((mean, x, i) => (i === 0 ? x : 0.3 * x + 0.7 * mean), 0);
}

describe("the scheduler's report for the status service", () => {
  let harness: SchedulerHarness;

  beforeAll(async () => {
    harness = await SchedulerHarness.start();
  });
  afterAll(async () => {
    await harness?.dispose();
  });

  it('appears, follows a switch, carries the measured times and the resident models as the engines report them', async () => {
    await harness.resetQueues(5000);
    const models = LAB_8GB_MODELS;
    const gpu = await harness.gpuNode(LAB_8GB_VRAM_MB, models);
    for (const stage of GPU_STAGES) await harness.worker({ node: NODE, stage, gpu, models, concurrency: 1 });
    // Every write of the report, as the status service would see it by watching the bucket.
    const kv = await openSchedulerReportsBucket(harness.nc);
    await kv.delete(NODE).catch(() => undefined);
    const seen: SchedulerReport[] = [];
    const watch = await kv.watch({ key: NODE });
    void (async () => {
      for await (const entry of watch) if (entry.operation === 'PUT') seen.push(entry.json<SchedulerReport>());
    })();

    const { holder } = await harness.scheduler({
      node: nodeSpec(NODE, gpu, models, LAB_8GB_VRAM_MB),
      budgetMb: LAB_8GB_VRAM_MB,
      policy: new AdaptivePolicy(SETTINGS),
      policySettings: SETTINGS,
    });
    const reports = await harness.reports();
    const first = await eventually(async () => (await reports.read(NODE)) ?? undefined, { what: 'a first report' });
    expect(first).toMatchObject({ node: NODE, holder, policy: 'adaptive', policySettings: SETTINGS, budgetMb: LAB_8GB_VRAM_MB });

    const jobs = ['r-0', 'r-1', 'r-2'];
    await harness.publish(jobs, 'transcribe');
    await harness.allCompleted(jobs);

    // A switch under way is reported with its start (the draining record's time) and its target.
    const drains = harness.records(NODE).filter((r) => r.state === 'draining');
    const toExtract = drains.find((r) => r.next?.phase.includes('extract'))!;
    expect(toExtract).toBeDefined();
    expect(seen).toContainEqual(
      expect.objectContaining({ lease: expect.objectContaining({ state: 'releasing' }), switchStartedAt: toExtract.since }),
    );
    // While speech-to-text ran with extraction work queued behind it, the plan named extraction next.
    expect(
      seen.some((r) => r.lease.state === 'granted' && r.lease.phase.includes('stt') && r.plan.next?.includes('extract') && r.plan.atSec !== null),
    ).toBe(true);
    // Outside a switch there is no switch start.
    expect(seen.filter((r) => r.lease.state === 'granted').every((r) => r.switchStartedAt === null)).toBe(true);

    // switchSec is release + load (releasing write to grant), not the drain before it: the same moving average
    // over the times between those writes as the harness recorded them.
    const writes = harness.writes.get(NODE)!;
    const releaseLoad: number[] = [];
    for (const [i, w] of writes.entries()) {
      if (w.record.state !== 'releasing') continue;
      const granted = writes.slice(i).find((g) => g.record.state === 'granted')!;
      releaseLoad.push((granted.at - w.at) / 1000);
    }
    const measured = await eventually(async () => {
      const report = await reports.read(NODE);
      return report && report.switchSec.samples === releaseLoad.length ? report : undefined;
    }, { what: 'a report with every switch measured' });
    expect(releaseLoad.length).toBeGreaterThanOrEqual(3);
    expect(measured.switchSec.mean).toBeCloseTo(ewma(releaseLoad), 2);
    expect(measured.switchSec.spread).toBeGreaterThan(0);
    // Per job at concurrency 1: the stand-in's 10 s, 15 s and 25 s at time scale 100, plus the workers' overhead.
    expect(measured.groups.stt).toMatchObject({ concurrency: 1, vramMb: 4500, samples: expect.any(Number) });
    for (const [group, sec] of [['stt', 0.1], ['extract', 0.15], ['rate', 0.25]] as const) {
      expect(measured.groups[group].samples).toBeGreaterThan(0);
      expect(measured.groups[group].mean).toBeGreaterThanOrEqual(sec * 0.8);
      expect(measured.groups[group].mean).toBeLessThan(sec * 4);
    }

    // Rating holds the card now, and the engine says so.
    const rating = { group: 'rate', model: LLAMA.name, vramMb: LLAMA.vramMb };
    await eventually(async () => JSON.stringify((await reports.read(NODE))?.resident) === JSON.stringify([rating]), {
      what: 'the rating model reported resident',
    });
    // Probed, not read off the lease: unloaded behind the scheduler's back, it is gone from the report while the
    // lease still grants rating.
    await fetch(`${gpu.ollamaUrl}/api/generate`, { method: 'POST', body: JSON.stringify({ model: LLAMA.name, keep_alive: 0 }) });
    const unloaded = await eventually(async () => {
      const report = await reports.read(NODE);
      return report?.resident?.length === 0 ? report : undefined;
    }, { what: 'the unload to show in the report' });
    expect(unloaded.lease).toMatchObject({ state: 'granted', phase: ['rate'] });
    // An engine that cannot answer: unknown (null), not "nothing resident".
    await gpu.close();
    await eventually(async () => (await reports.read(NODE))?.resident === null, { what: 'resident unknown once the engines are gone' });

    watch.stop();
    await harness.closeAll();
  });

  it('is written when something changes and refreshed about once a second otherwise', async () => {
    await harness.resetQueues(5000);
    const models = LAB_8GB_MODELS;
    const gpu = await harness.gpuNode(LAB_8GB_VRAM_MB, models);
    const kv = await openSchedulerReportsBucket(harness.nc);
    await harness.scheduler({ node: nodeSpec('gpu-quiet', gpu, models, LAB_8GB_VRAM_MB), budgetMb: LAB_8GB_VRAM_MB, policy: new AdaptivePolicy(SETTINGS) });
    const reports = await harness.reports();
    // Idle at first: the policy warms speech-to-text; then nothing changes.
    await eventually(async () => (await reports.read('gpu-quiet'))?.lease.state === 'granted', { what: 'the warm-up grant' });
    await new Promise((resolve) => setTimeout(resolve, 500));
    // Count this node's writes (a KV revision counts every key of the bucket).
    const written: SchedulerReport[] = [];
    const watch = await kv.watch({ key: 'gpu-quiet', include: 'updates' });
    void (async () => {
      for await (const entry of watch) if (entry.operation === 'PUT') written.push(entry.json<SchedulerReport>());
    })();
    const startedAt = Date.now();
    await new Promise((resolve) => setTimeout(resolve, 3000));
    watch.stop();
    // Ticks every 20 ms would be 150 writes; once a second is about 3.
    expect(written.length).toBeGreaterThanOrEqual(2);
    expect(written.length).toBeLessThanOrEqual(5);
    expect(Date.parse(written[written.length - 1].at)).toBeGreaterThan(startedAt);
    await harness.closeAll();
  });
});
