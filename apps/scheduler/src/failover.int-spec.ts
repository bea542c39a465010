import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { LeaseConflictError, LeaseStore, openLeaseBuckets, type LeaderElection, type LeaseBuckets, type LeaseRecord } from '@introeval/lease';
import { eventually, LAB_8GB_MODELS, LAB_8GB_VRAM_MB } from '@introeval/testing';
import { AdaptivePolicy } from '@introeval/scheduling';
import { NO_VIOLATIONS, nodeInvariants, nodeSpec, SchedulerHarness, TIME_SCALE } from './scheduler.fixture.js';

const NODE = 'gpu-failover';
const LEADER_TTL_MS = 1500;
/** LeaderElection's default renew period: a third of the TTL. */
const RENEW_MS = LEADER_TTL_MS / 3;
/** Room for the server's expiry timer, the standby's next attempt and a loaded machine. */
const SLACK_MS = 1000;
const quiet = { log: () => undefined, warn: () => undefined };

describe('scheduler failover: two schedulers for one node, the leader crashes mid-switch', () => {
  let harness: SchedulerHarness;
  let buckets: LeaseBuckets;

  beforeAll(async () => {
    harness = await SchedulerHarness.start({ leaderTtlMs: LEADER_TTL_MS });
    buckets = await openLeaseBuckets(harness.nc, harness.leaseTiming);
  });
  afterAll(async () => {
    await harness?.dispose();
  });

  it('the standby takes over within TTL + one renew period, finishes the switch, and the deposed leader is fenced out', async () => {
    await harness.resetQueues(5000);
    const models = LAB_8GB_MODELS;
    const gpu = await harness.gpuNode(LAB_8GB_VRAM_MB, models);
    // Every value the lease ever held, in revision order, straight from the bucket.
    const epochs: number[] = [];
    const watch = await buckets.leases.watch({ key: NODE });
    void (async () => {
      for await (const entry of watch) if (entry.operation === 'PUT') epochs.push((JSON.parse(entry.string()) as LeaseRecord).epoch);
    })();

    for (const stage of ['transcribe', 'extract', 'rate'] as const) await harness.worker({ node: NODE, stage, gpu, models, concurrency: 1 });
    const schedulerOf = (holder: string) =>
      harness.scheduler({
        node: nodeSpec(NODE, gpu, models, LAB_8GB_VRAM_MB),
        budgetMb: LAB_8GB_VRAM_MB,
        policy: new AdaptivePolicy({ maxWaitSec: 600 / TIME_SCALE, lingerSec: 0 }),
        holder,
      });
    const holderNow = async () => (await buckets.leaders.get(NODE))?.string() ?? null;
    const leader = await schedulerOf('sched-a');
    await eventually(async () => (await holderNow()) === 'sched-a', { what: 'sched-a to lead' });
    await schedulerOf('sched-b');

    const ids = Array.from({ length: 6 }, (_, i) => `fo-${i}`);
    await harness.publish(ids, 'transcribe');
    // Crash in the middle of a switch away from speech-to-text: the lease says draining, the next grant is in `next`.
    const written = () => harness.writes.get(NODE) ?? [];
    await eventually(() => written().some((w) => w.record.state === 'draining' && w.record.epoch >= 1), {
      intervalMs: 2,
      what: 'the leader to start a switch',
    });
    const crashedAt = performance.now();
    await leader.crash();
    const last = (await new LeaseStore(buckets, quiet).read(NODE))!;
    expect(last.record.holder).toBe('sched-a');

    const takeoverAt = await eventually(async () => ((await holderNow()) === 'sched-b' ? performance.now() : undefined), {
      intervalMs: 10,
      what: 'sched-b to take the lead',
    });
    // Not before the crashed leader's key could expire, and no later than TTL + one renew period after it.
    expect(takeoverAt - crashedAt).toBeGreaterThanOrEqual(LEADER_TTL_MS - RENEW_MS - 50);
    expect(takeoverAt - crashedAt).toBeLessThanOrEqual(LEADER_TTL_MS + RENEW_MS + SLACK_MS);

    // The standby finishes the switch the leader started (same target, next epoch).
    const resumed = await eventually(() => written().find((w) => w.record.holder === 'sched-b' && w.record.state === 'granted'), {
      what: 'sched-b to grant',
    });
    expect(resumed.record.epoch).toBe(last.record.epoch + 1);
    expect(resumed.record.phase).toEqual(last.record.next!.phase);
    expect(Math.min(...written().filter((w) => w.record.holder === 'sched-b').map((w) => w.at))).toBeGreaterThan(
      Math.max(...written().filter((w) => w.record.holder === 'sched-a').map((w) => w.at)),
    );

    // A write by the deposed leader that was already past its own leadership check when it lost (a stalled process):
    // the compare-and-set on its old revision rejects it.
    const deposed = { holder: 'sched-a', assertLeader: () => undefined } as unknown as LeaderElection;
    const stale: LeaseRecord = { ...last.record, state: 'releasing', since: new Date().toISOString() };
    await expect(new LeaseStore(buckets, quiet).write(NODE, stale, last.revision, deposed)).rejects.toBeInstanceOf(LeaseConflictError);
    await expect(buckets.leases.update(NODE, JSON.stringify(stale), last.revision)).rejects.toThrow(/wrong last sequence/);

    await harness.allCompleted(ids);
    watch.stop();
    expect(Object.fromEntries(harness.completions)).toEqual(Object.fromEntries(ids.map((id) => [id, 1])));
    expect(nodeInvariants(harness, NODE, gpu, LAB_8GB_VRAM_MB)).toEqual(NO_VIOLATIONS);
    expect(epochs.length).toBeGreaterThan(4);
    expect(epochs).toEqual([...epochs].sort((a, b) => a - b)); // the fencing token never goes backwards
    await harness.closeAll();
  });

  it('a leader stopped in the middle of a drain hands over at once, and the standby finishes the switch', async () => {
    const node = 'gpu-handover';
    await harness.resetQueues(1000);
    const models = LAB_8GB_MODELS;
    const gpu = await harness.gpuNode(LAB_8GB_VRAM_MB, models);
    const stuck = await harness.worker({ node, stage: 'transcribe', gpu, models, concurrency: 1 });
    await harness.worker({ node, stage: 'extract', gpu, models, concurrency: 1 });
    await harness.worker({ node, stage: 'rate', gpu, models, concurrency: 1 });
    const schedulerOf = (holder: string) =>
      harness.scheduler({
        node: nodeSpec(node, gpu, models, LAB_8GB_VRAM_MB),
        budgetMb: LAB_8GB_VRAM_MB,
        policy: new AdaptivePolicy({ maxWaitSec: 600 / TIME_SCALE, lingerSec: 0 }),
        holder,
      });
    const leader = await schedulerOf('hand-a');
    await eventually(async () => (await buckets.leaders.get(node))?.string() === 'hand-a', { what: 'hand-a to lead' });
    await schedulerOf('hand-b');

    // The speech-to-text job never finishes on its own, so the drain away from speech-to-text cannot end.
    gpu.inject({ kind: 'hang', api: 'speaches', path: '/v1/audio/transcriptions' });
    await harness.publish(['hand-held'], 'transcribe');
    await eventually(() => stuck.holding === 1, { what: 'the worker to hold the job' });
    await harness.publish(['hand-text'], 'extract');
    const written = () => harness.writes.get(node) ?? [];
    await eventually(() => written().some((w) => w.record.state === 'draining' && w.record.phase.includes('stt')), {
      what: 'the drain away from speech-to-text',
    });

    // A SIGTERM'd scheduler must not wait for a drain that only its successor can finish.
    const stopped = await Promise.race([leader.stop().then(() => 'stopped'), sleep(5000).then(() => 'still draining')]);
    expect(stopped).toBe('stopped');
    await eventually(async () => (await buckets.leaders.get(node))?.string() === 'hand-b', { timeoutMs: RENEW_MS * 2, what: 'hand-b to lead' });

    const survivor = await harness.worker({ node, stage: 'transcribe', gpu, models, concurrency: 1 });
    await stuck.crash();
    await harness.allCompleted(['hand-held', 'hand-text']);
    const grantedBy = written().filter((w) => w.record.state === 'granted').map((w) => w.record.holder);
    expect(grantedBy[0]).toBe('hand-a');
    expect(grantedBy.slice(1)).toEqual(grantedBy.slice(1).map(() => 'hand-b'));
    expect(survivor.started).toBe(1);
    expect(nodeInvariants(harness, node, gpu, LAB_8GB_VRAM_MB)).toEqual(NO_VIOLATIONS);
    await harness.closeAll();
  });
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
