// The scheduler's integration harness: everything real, in one process (not part of the build).
import { jetstream, jetstreamManager, type JetStreamClient, type JetStreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { Logger } from '@nestjs/common';
import { messageId, STAGE_SUBJECT, Streams } from '@introeval/contracts';
import {
  openLeaseBuckets,
  openSchedulerReportsBucket,
  SchedulerReports,
  type Group,
  type LeaseBucketOptions,
  type LeaseRecord,
} from '@introeval/lease';
import { ensureStageConsumer, ensureTopology } from '@introeval/messaging';
import { connectNats } from '@introeval/nats';
import {
  cannedBrain,
  eventually,
  findOverlaps,
  nodeFileEntry,
  startGpuNode,
  startNatsServer,
  type BusyInterval,
  type GpuModelSpec,
  type GpuNodeHandle,
  type NatsServerHandle,
} from '@introeval/testing';
import { GatedWorker, GPU_STAGES, type GpuStage } from './gated-worker.fixture.js';
import type { GpuNodeSpec } from './gpu-nodes.config.js';
import { groupDrivers } from './group-drivers.js';
import { wireNodeScheduler, type NodeScheduler } from './node-scheduler.js';
import type { AdaptiveSettings, PhasePolicy } from '@introeval/scheduling';

/** Simulated seconds per real second on every stand-in: the lab's 8 s loads take 80 ms. */
export const TIME_SCALE = 100;
export const HEARTBEAT_MS = 100;
export const TICK_MS = 20;

const BRAIN = cannedBrain({
  transcript: { text: 'hello my name is ada', language: 'en', durationSec: 3, words: [] },
  chat: () => '{"name":"Ada"}',
});

export interface HarnessOptions {
  leaderTtlMs?: number;
  /** Simulated seconds per real second on this harness's stand-ins (default TIME_SCALE). */
  timeScale?: number;
}

/** A lease record a scheduler wrote, and when (performance.now()). */
export interface WrittenLease {
  record: LeaseRecord;
  at: number;
}

/** A scheduler process of the harness: its NodeScheduler on its own NATS connection, so it can "crash". */
export interface SchedulerProcess {
  readonly holder: string;
  readonly scheduler: NodeScheduler;
  /** Dies as a killed process does: its NATS connection goes, so it neither renews nor writes any more. */
  crash(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * One nats-server with the pipeline's streams and the lease buckets; GPU-node stand-ins; NodeSchedulers with the real
 * drivers pointed at the stand-ins; gated stage workers. Every lease write is recorded per node (`writes`), every
 * accepted completion per job (`completions`). `closeAll()` ends what was started since the last call (one workload),
 * `dispose()` everything.
 */
export class SchedulerHarness {
  readonly writes = new Map<string, WrittenLease[]>();
  readonly completions = new Map<string, number>();
  readonly leaseTiming: LeaseBucketOptions;
  private ackWaitMs = 30_000;
  private closers: (() => Promise<void>)[] = [];
  private workers: GatedWorker[] = [];
  private holders = 0;
  private workerIds = 0;

  private constructor(
    readonly server: NatsServerHandle,
    readonly nc: NatsConnection,
    readonly jsm: JetStreamManager,
    readonly js: JetStreamClient,
    leaderTtlMs: number,
    readonly timeScale: number,
  ) {
    this.leaseTiming = { leaderTtlMs, heartbeatTtlMs: 3 * HEARTBEAT_MS };
  }

  static async start(options: HarnessOptions = {}): Promise<SchedulerHarness> {
    // The scheduler and stage workers log every switch; SCHEDULER_SPEC_LOGS=1 shows them.
    Logger.overrideLogger(process.env.SCHEDULER_SPEC_LOGS ? ['log', 'warn', 'error'] : false);
    const server = await startNatsServer();
    const nc = await connectNats(server.url, 'scheduler-spec');
    await ensureTopology(nc);
    const harness = new SchedulerHarness(
      server,
      nc,
      await jetstreamManager(nc),
      jetstream(nc),
      options.leaderTtlMs ?? 1500,
      options.timeScale ?? TIME_SCALE,
    );
    await openLeaseBuckets(nc, harness.leaseTiming);
    return harness;
  }

  /** Empty stage queues and fresh consumers (short ack_wait: a dead worker's job comes back quickly). */
  async resetQueues(ackWaitMs: number): Promise<void> {
    this.ackWaitMs = ackWaitMs;
    this.completions.clear();
    for (const stage of GPU_STAGES) await this.jsm.consumers.delete(Streams.work, stage).catch(() => undefined);
    await this.jsm.streams.purge(Streams.work);
    await this.jsm.streams.purge(Streams.events);
    for (const stage of GPU_STAGES) await ensureStageConsumer(this.jsm, stage, { concurrency: 8, ackWaitMs, maxDeliver: 20 });
  }

  async gpuNode(vramMb: number, models: readonly GpuModelSpec[]): Promise<GpuNodeHandle> {
    const gpu = await startGpuNode({
      vramMb,
      models,
      timeScale: this.timeScale,
      brain: BRAIN,
      // As deployed under a scheduler: nothing unloads by itself in the middle of a granted phase.
      ollamaKeepAliveSec: -1,
      speachesTtlSec: -1,
    });
    this.closers.push(() => gpu.close());
    return gpu;
  }

  /** The schedulers' reports, read on the harness's own connection as the status service reads them. */
  async reports(): Promise<SchedulerReports> {
    return new SchedulerReports(await openSchedulerReportsBucket(this.nc));
  }

  async scheduler(opts: {
    node: GpuNodeSpec;
    budgetMb: number;
    policy: PhasePolicy;
    /** What the report states and the plan replays; the production defaults unless given. */
    policySettings?: AdaptiveSettings;
    holder?: string;
  }): Promise<SchedulerProcess> {
    const holder = opts.holder ?? `scheduler-${++this.holders}`;
    const nc = await connectNats(this.server.url, holder);
    const scheduler = wireNodeScheduler({
      node: opts.node,
      budgetMb: opts.budgetMb,
      holder,
      buckets: await openLeaseBuckets(nc, this.leaseTiming),
      jsm: await jetstreamManager(nc),
      policy: opts.policy,
      policySettings: opts.policySettings ?? { maxWaitSec: 600, lingerSec: 8 },
      reports: new SchedulerReports(await openSchedulerReportsBucket(nc)),
      residentProbeMs: 100,
      drivers: groupDrivers(opts.node, () => {
        throw new Error('no Kubernetes in these specs');
      }),
      leaderTtlMs: this.leaseTiming.leaderTtlMs,
      tickMs: TICK_MS,
      onWrite: (record) => this.recordWrite(record),
    });
    scheduler.start();
    let stopped: Promise<void> | null = null;
    const stop = () =>
      (stopped ??= (async () => {
        await scheduler.stop();
        if (!nc.isClosed()) await nc.close();
      })());
    this.closers.push(stop);
    return { holder, scheduler, crash: () => nc.close(), stop };
  }

  async worker(opts: {
    node: string;
    stage: GpuStage;
    gpu: GpuNodeHandle;
    models: readonly GpuModelSpec[];
    concurrency: number;
  }): Promise<GatedWorker> {
    const worker = await GatedWorker.start({
      ...opts,
      natsUrl: this.server.url,
      leaseTiming: this.leaseTiming,
      heartbeatEveryMs: HEARTBEAT_MS,
      ackWaitMs: this.ackWaitMs,
      workerId: `${opts.stage}-w${++this.workerIds}`,
      onCompleted: (jobId) => this.completions.set(jobId, (this.completions.get(jobId) ?? 0) + 1),
    });
    this.closers.push(() => worker.stop());
    this.workers.push(worker);
    return worker;
  }

  /** Jobs enter a stage as the pipeline's messages do: `{ jobId }`, de-duplicated per job and subject. */
  async publish(jobIds: readonly string[], stage: GpuStage): Promise<void> {
    const subject = STAGE_SUBJECT[stage];
    for (const jobId of jobIds) await this.js.publish(subject, JSON.stringify({ jobId }), { msgID: messageId(jobId, subject) });
  }

  async allCompleted(jobIds: readonly string[], timeoutMs = 30_000): Promise<void> {
    try {
      await eventually(() => jobIds.every((id) => this.completions.has(id)), { timeoutMs, intervalMs: 20 });
    } catch {
      const missing = jobIds.filter((id) => !this.completions.has(id));
      const errors = this.workers.flatMap((w) => w.errors.map((e) => `${w.workerId}: ${e}`)).slice(-10);
      throw new Error(
        `${missing.length} of ${jobIds.length} jobs did not complete (${missing.join(', ')}); ` +
          `worker errors: ${errors.join(' | ') || 'none'}`,
      );
    }
  }

  /** The phase each epoch granted on `node`, from the records the schedulers wrote. */
  grants(node: string): Map<number, Group[]> {
    const grants = new Map<number, Group[]>();
    for (const { record } of this.writes.get(node) ?? []) if (record.state === 'granted') grants.set(record.epoch, record.phase);
    return grants;
  }

  /** Ends everything started since the last call, newest first (workers before schedulers before stand-ins). */
  async closeAll(): Promise<void> {
    const closers = this.closers.reverse();
    this.closers = [];
    this.workers = [];
    for (const close of closers) await close();
  }

  async dispose(): Promise<void> {
    await this.closeAll();
    await this.nc.close();
    await this.server.dispose();
  }

  /** The records written for `node` so far. */
  records(node: string): LeaseRecord[] {
    return (this.writes.get(node) ?? []).map((w) => w.record);
  }

  private recordWrite(record: LeaseRecord): void {
    const list = this.writes.get(record.node) ?? [];
    list.push({ record: structuredClone(record), at: performance.now() });
    this.writes.set(record.node, list);
  }
}

/** The node file entry for a stand-in (see `nodeFileEntry`), typed as the scheduler reads it. */
export function nodeSpec(
  name: string,
  gpu: GpuNodeHandle,
  models: readonly GpuModelSpec[],
  vramMb: number,
  timeScale = TIME_SCALE,
): GpuNodeSpec {
  return nodeFileEntry(name, gpu, models, { vramMb, timeScale, timeoutMs: 20_000 });
}

/** What must hold on one node after any workload (DESIGN.md rule 4, and the fencing token). */
export interface NodeInvariants {
  overlaps: ReturnType<typeof findOverlaps>;
  oomErrors: number;
  /** Busy intervals whose `X-Lease-Epoch` is missing or names an epoch that did not grant their group. */
  unfenced: BusyInterval[];
  /** Lease records written with a lower epoch than one written before. */
  epochRegressions: LeaseRecord[];
}

export function nodeInvariants(harness: SchedulerHarness, node: string, gpu: GpuNodeHandle, budgetMb: number): NodeInvariants {
  const grants = harness.grants(node);
  const unfenced = gpu.busyIntervals().filter((b) => b.epoch === null || !grants.get(b.epoch)?.includes(b.group as Group));
  let highest = -1;
  const epochRegressions: LeaseRecord[] = [];
  for (const record of harness.records(node)) {
    if (record.epoch < highest) epochRegressions.push(record);
    highest = Math.max(highest, record.epoch);
  }
  return { overlaps: findOverlaps(gpu, budgetMb), oomErrors: gpu.oomErrors(), unfenced, epochRegressions };
}

export const NO_VIOLATIONS: NodeInvariants = { overlaps: [], oomErrors: 0, unfenced: [], epochRegressions: [] };
