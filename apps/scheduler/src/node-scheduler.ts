import type { JetStreamManager } from '@nats-io/jetstream';
import { Logger } from '@nestjs/common';
import { GROUP_STAGE, perGroup, STAGES, type Stage } from '@introeval/contracts';
import {
  LeaderElection,
  LeaseRecordInvalidError,
  LeaseStore,
  WorkerPresence,
  type Group,
  type LeaseBuckets,
  type LeaseRecord,
  type SchedulerReports,
  type StoredLease,
  type WorkerReport,
} from '@introeval/lease';
import type { GroupDriver } from '@introeval/residency';
import { FEEDERS, MovingAverage, perJobWhenFull, type AdaptiveSettings, type GroupView, type NodeView, type PhasePolicy } from '@introeval/scheduling';
import type { GpuNodeSpec } from './gpu-nodes.config.js';
import { OrphanedMessages } from './orphaned-messages.js';
import { PhaseSwitcher } from './phase-switcher.js';
import { QueueObserver, type StageQueue } from './queue-observer.js';
import { SchedulerReporter } from './scheduler-reporter.js';
import { SwitchTimer } from './switch-timer.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
/** A dead worker's message waits for its ack_wait (30 s by default); a report trailing a pull lasts a round trip. */
const ORPHAN_GRACE_MS = 1000;

/** What wireNodeScheduler builds a NodeScheduler from: the node, its connections and its settings. */
export interface NodeSchedulerOptions {
  node: GpuNodeSpec;
  budgetMb: number;
  holder: string;
  buckets: LeaseBuckets;
  jsm: JetStreamManager;
  policy: PhasePolicy;
  /** The policy's settings, as the scheduler's report states them and its plan replays them. */
  policySettings: AdaptiveSettings;
  /** Where the node's SchedulerReport goes (openSchedulerReportsBucket). */
  reports: Pick<SchedulerReports, 'publish'>;
  /** How often the engines are asked what they hold, for the report (default every 3 s). */
  residentProbeMs?: number;
  drivers: Record<Group, GroupDriver>;
  leaderTtlMs: number;
  tickMs: number;
  /** Called after every lease write (the Kubernetes Lease mirror); must not throw. */
  onWrite?: (record: LeaseRecord) => void;
}

/**
 * What a NodeScheduler works with. `wireNodeScheduler` builds the real ones; a test hands in its own (each is the
 * slice of the real class the scheduler calls).
 */
export interface NodeSchedulerDeps {
  node: GpuNodeSpec;
  budgetMb: number;
  policy: PhasePolicy;
  tickMs: number;
  election: Pick<LeaderElection, 'isLeader' | 'start' | 'stop' | 'onChange'>;
  store: Pick<LeaseStore, 'read'>;
  presence: Pick<WorkerPresence, 'liveOnAllNodes'>;
  queues: Pick<QueueObserver, 'observe'>;
  switcher: Pick<PhaseSwitcher, 'init' | 'replaceCorrupt' | 'releaseUngranted' | 'resume' | 'switchTo'>;
  logger: Pick<Logger, 'log' | 'warn'>;
  /** Times the switches from the lease writes (release + load): the policy's and the forecast's `switchSec`. */
  switchTimer: SwitchTimer;
  /** Publishes the node's report for the status service; absent, nothing is published. */
  reporter?: Pick<SchedulerReporter, 'observe' | 'start' | 'stop'>;
  /**
   * Aborted by `stop()`. The switcher is built with its signal, so a switch in progress ends where it is instead of
   * waiting out a drain while holding the leadership.
   */
  stopping: AbortController;
}

/** A NodeScheduler with the real collaborators: leadership, lease and presence on `buckets`, queues on `jsm`. */
export function wireNodeScheduler(options: NodeSchedulerOptions): NodeScheduler {
  const { node, buckets, holder, leaderTtlMs, tickMs } = options;
  const logger = new Logger(`scheduler ${node.name}`);
  const election = new LeaderElection(buckets.leaders, { key: node.name, holder, ttlMs: leaderTtlMs, logger });
  const store = new LeaseStore(buckets, logger);
  const presence = new WorkerPresence(buckets, logger);
  const stopping = new AbortController();
  const switchTimer = new SwitchTimer();
  const reporter = new SchedulerReporter({
    node,
    budgetMb: options.budgetMb,
    holder,
    policy: { name: options.policy.name, settings: options.policySettings },
    reports: options.reports,
    drivers: options.drivers,
    isLeader: () => election.isLeader,
    logger,
    probeEveryMs: options.residentProbeMs,
  });
  const switcher = new PhaseSwitcher({
    node: node.name,
    holder,
    store,
    election,
    presence,
    drivers: options.drivers,
    onWrite: (record) => {
      switchTimer.observe(record);
      reporter.leaseWritten(record, switchTimer.switchStartedAt);
      options.onWrite?.(record);
    },
    pollMs: Math.max(5, Math.round(tickMs / 4)),
    logger,
    signal: stopping.signal,
  });
  return new NodeScheduler({
    node,
    budgetMb: options.budgetMb,
    policy: options.policy,
    tickMs,
    election,
    store,
    presence,
    queues: new QueueObserver(options.jsm),
    switcher,
    logger,
    switchTimer,
    reporter,
    stopping,
  });
}

/**
 * The scheduler of one GPU node: contends for the node's leadership and, while it leads, looks at the queues every
 * tick, asks the policy, and carries out switches. Service times are measured here and the switch cost by the
 * SwitchTimer (moving averages), handed to the policy with the queues and published with the node's report.
 */
export class NodeScheduler {
  private readonly serviceSec: Record<Group, MovingAverage>;
  private readonly orphans = new OrphanedMessages(ORPHAN_GRACE_MS);
  private readonly busy = { sec: perGroup(() => 0), load: perGroup(() => 0), finished: perGroup(() => 0), epoch: -1, at: 0 };
  private running = false;
  private loop: Promise<void> | null = null;
  private reconciled = false;

  constructor(private readonly deps: NodeSchedulerDeps) {
    const { node } = deps;
    this.serviceSec = perGroup((group) => new MovingAverage(node.groups[group].serviceSec));
    deps.election.onChange((leader) => {
      deps.logger.log(leader ? `leading node ${node.name}` : `no longer leading node ${node.name}`);
      if (!leader) this.reconciled = false;
    });
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.deps.election.start();
    this.deps.reporter?.start();
    this.loop = this.run();
  }

  /**
   * Stops acting and hands the leadership over at once. A switch in progress is abandoned where it is: the lease
   * stays as it is (draining, releasing or loading, with its target), and the next leader finishes it.
   */
  async stop(): Promise<void> {
    this.running = false;
    this.deps.stopping.abort(new Error('the scheduler is stopping'));
    await this.loop;
    await this.deps.reporter?.stop();
    await this.deps.election.stop();
  }

  private async run(): Promise<void> {
    while (this.running) {
      if (this.deps.election.isLeader) {
        try {
          await this.tick();
        } catch (error) {
          if (this.running) this.deps.logger.warn(`node ${this.deps.node.name}: ${(error as Error).message}`);
        }
      }
      await sleep(this.deps.tickMs);
    }
  }

  private async tick(): Promise<void> {
    let lease = await this.readLease();
    if (!this.reconciled) {
      await this.deps.switcher.releaseUngranted(lease);
      this.reconciled = true;
    }
    if (lease.record.state !== 'granted' && lease.record.state !== 'idle') lease = await this.deps.switcher.resume(lease);
    const view = await this.view(lease);
    const timer = this.deps.switchTimer;
    this.deps.reporter?.observe({
      view,
      lease: lease.record,
      groups: perGroup((g) => this.serviceSec[g].snapshot()),
      switchSec: timer.releaseLoad.snapshot(),
      switchStartedAt: timer.switchStartedAt,
    });
    const decision = this.deps.policy.decide(view);
    if (decision.kind !== 'switch') return;
    // Its duration is measured by the switch timer from the lease writes: release + load, without the drain.
    await this.deps.switcher.switchTo(lease, decision);
  }

  /** The node's lease: created idle on first use, and started over idle if it is unreadable. */
  private async readLease(): Promise<StoredLease> {
    try {
      return (await this.deps.store.read(this.deps.node.name)) ?? (await this.deps.switcher.init());
    } catch (error) {
      if (!(error instanceof LeaseRecordInvalidError)) throw error;
      this.reconciled = false; // whatever the corrupt record granted may still be resident
      return this.deps.switcher.replaceCorrupt(error.revision);
    }
  }

  private async view(lease: StoredLease): Promise<NodeView> {
    const { node, budgetMb } = this.deps;
    const [everywhere, ...observed] = await Promise.all([
      this.deps.presence.liveOnAllNodes(),
      ...STAGES.map((stage) => this.deps.queues.observe(stage)),
    ]);
    const queueOf = (stage: Stage): StageQueue => observed[STAGES.indexOf(stage)];
    const reports = everywhere.filter((r) => r.node === node.name);
    const now = Date.now();
    const groupView = (group: Group): GroupView => {
      const queue = queueOf(GROUP_STAGE[group]);
      const mine = reports.filter((r) => r.group === group);
      const held = everywhere.filter((r) => r.group === group).reduce((sum, r) => sum + r.inFlight, 0);
      const orphaned = this.orphans.count(group, queue.unacked, held, performance.now());
      return {
        group,
        vramMb: node.groups[group].vramMb,
        concurrency: node.groups[group].concurrency,
        serviceSec: this.serviceSec[group].value,
        waiting: queue.waiting + orphaned,
        running: mine.reduce((sum, r) => sum + r.inFlight, 0),
        startedInEpoch: mine.filter((r) => r.epoch === lease.record.epoch).reduce((sum, r) => sum + r.started, 0),
        oldestWaitSec: queue.oldestWaitingAt === null ? null : Math.max(0, (now - queue.oldestWaitingAt) / 1000),
        upstream: FEEDERS[group].reduce((sum, stage) => sum + queueOf(stage).waiting + queueOf(stage).unacked, 0),
      };
    };
    const groups = perGroup(groupView);
    this.measure(lease, groups, reports);
    return {
      nowSec: now / 1000,
      phase: lease.record.phase,
      state: lease.record.state,
      quota: lease.record.quota ?? null,
      sinceSec: Date.parse(lease.record.since) / 1000,
      budgetMb,
      switchSec: this.deps.switchTimer.releaseLoad.value,
      groups,
    };
  }

  /**
   * Seconds per finished job for each granted group with its engine full: busy time between ticks divided by the jobs
   * that finished in it, at the mean number of jobs it ran with, scaled to the full concurrency by the group's
   * `gainAtMax` (a linear gain: throughput with n jobs is gain(n) / time alone). Without a gain (1) this is the plain
   * busy time per job, batching gains showing as a shorter time per job.
   */
  private measure(lease: StoredLease, groups: Record<Group, GroupView>, _reports: WorkerReport[]): void {
    const now = performance.now() / 1000;
    const dt = this.busy.at === 0 ? 0 : now - this.busy.at;
    this.busy.at = now;
    const newEpoch = this.busy.epoch !== lease.record.epoch;
    this.busy.epoch = lease.record.epoch;
    if (lease.record.state !== 'granted') return;
    for (const group of lease.record.phase) {
      const view = groups[group];
      const finished = Math.max(0, view.startedInEpoch - view.running);
      if (newEpoch) {
        this.busy.sec[group] = 0;
        this.busy.load[group] = 0;
        this.busy.finished[group] = finished;
        continue;
      }
      if (view.running > 0) {
        this.busy.sec[group] += dt;
        this.busy.load[group] += dt * view.running;
      }
      const done = finished - this.busy.finished[group];
      if (done > 0 && this.busy.sec[group] > 0) {
        const { concurrency, gainAtMax = 1 } = this.deps.node.groups[group];
        const meanRunning = this.busy.load[group] / this.busy.sec[group];
        this.serviceSec[group].add(perJobWhenFull(this.busy.sec[group] / done, meanRunning, concurrency, gainAtMax));
        this.busy.sec[group] = 0;
        this.busy.load[group] = 0;
        this.busy.finished[group] = finished;
      }
    }
  }
}
