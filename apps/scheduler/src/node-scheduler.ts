import type { JetStreamManager } from '@nats-io/jetstream';
import { Logger } from '@nestjs/common';
import {
  GROUP_STAGE,
  GROUPS,
  LeaderElection,
  LeaseRecordInvalidError,
  LeaseStore,
  WorkerPresence,
  type Group,
  type LeaseBuckets,
  type LeaseRecord,
  type StoredLease,
  type WorkerReport,
} from '@introeval/lease';
import type { GroupDriver } from '@introeval/residency';
import type { GpuNodeSpec } from './gpu-nodes.config.js';
import { MovingAverage } from './moving-average.js';
import { OrphanedMessages } from './orphaned-messages.js';
import { PhaseSwitcher } from './phase-switcher.js';
import type { GroupView, NodeView, PhasePolicy } from './policy/index.js';
import { QueueObserver, type StageQueue } from './queue-observer.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
/** A dead worker's message waits for its ack_wait (30 s by default); a report trailing a pull lasts a round trip. */
const ORPHAN_GRACE_MS = 1000;

export interface NodeSchedulerOptions {
  node: GpuNodeSpec;
  budgetMb: number;
  holder: string;
  buckets: LeaseBuckets;
  jsm: JetStreamManager;
  policy: PhasePolicy;
  drivers: Record<Group, GroupDriver>;
  leaderTtlMs: number;
  tickMs: number;
  /** Called after every lease write (the Kubernetes Lease mirror); must not throw. */
  onWrite?: (record: LeaseRecord) => void;
}

/**
 * The scheduler of one GPU node: contends for the node's leadership and, while it leads, looks at the queues every
 * tick, asks the policy, and carries out switches. Service times and the switch cost are measured here (moving
 * averages) and handed to the policy with the queues.
 */
export class NodeScheduler {
  private readonly logger: Logger;
  private readonly election: LeaderElection;
  private readonly store: LeaseStore;
  private readonly presence: WorkerPresence;
  private readonly switcher: PhaseSwitcher;
  private readonly queues: QueueObserver;
  private readonly serviceSec: Record<Group, MovingAverage>;
  private readonly switchSec: MovingAverage;
  private readonly orphans = new OrphanedMessages(ORPHAN_GRACE_MS);
  private readonly busy = { sec: { stt: 0, extract: 0, rate: 0 }, finished: { stt: 0, extract: 0, rate: 0 }, epoch: -1, at: 0 };
  private running = false;
  private readonly stopping = new AbortController();
  private loop: Promise<void> | null = null;
  private reconciled = false;

  constructor(private readonly options: NodeSchedulerOptions) {
    const { node, buckets, holder, leaderTtlMs, tickMs } = options;
    this.logger = new Logger(`scheduler ${node.name}`);
    this.election = new LeaderElection(buckets.leaders, { key: node.name, holder, ttlMs: leaderTtlMs, logger: this.logger });
    this.store = new LeaseStore(buckets, this.logger);
    this.presence = new WorkerPresence(buckets, this.logger);
    this.queues = new QueueObserver(options.jsm);
    this.switcher = new PhaseSwitcher({
      node: node.name,
      holder,
      store: this.store,
      election: this.election,
      presence: this.presence,
      drivers: options.drivers,
      onWrite: options.onWrite ?? (() => undefined),
      pollMs: Math.max(5, Math.round(tickMs / 4)),
      logger: this.logger,
      signal: this.stopping.signal,
    });
    this.serviceSec = {
      stt: new MovingAverage(node.groups.stt.serviceSec),
      extract: new MovingAverage(node.groups.extract.serviceSec),
      rate: new MovingAverage(node.groups.rate.serviceSec),
    };
    this.switchSec = new MovingAverage(10);
    this.election.onChange((leader) => {
      this.logger.log(leader ? `leading node ${node.name}` : `no longer leading node ${node.name}`);
      if (!leader) this.reconciled = false;
    });
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.election.start();
    this.loop = this.run();
  }

  /**
   * Stops acting and hands the leadership over at once. A switch in progress is abandoned where it is: the lease
   * stays as it is (draining, releasing or loading, with its target), and the next leader finishes it.
   */
  async stop(): Promise<void> {
    this.running = false;
    this.stopping.abort(new Error('the scheduler is stopping'));
    await this.loop;
    await this.election.stop();
  }

  private async run(): Promise<void> {
    while (this.running) {
      if (this.election.isLeader) {
        try {
          await this.tick();
        } catch (error) {
          if (this.running) this.logger.warn(`node ${this.options.node.name}: ${(error as Error).message}`);
        }
      }
      await sleep(this.options.tickMs);
    }
  }

  private async tick(): Promise<void> {
    let lease = await this.readLease();
    if (!this.reconciled) {
      await this.switcher.releaseUngranted(lease);
      this.reconciled = true;
    }
    if (lease.record.state !== 'granted' && lease.record.state !== 'idle') lease = await this.switcher.resume(lease);
    const view = await this.view(lease);
    const decision = this.options.policy.decide(view);
    if (decision.kind !== 'switch') return;
    const started = performance.now();
    await this.switcher.switchTo(lease, decision);
    this.switchSec.add((performance.now() - started) / 1000);
  }

  /** The node's lease: created idle on first use, and started over idle if it is unreadable. */
  private async readLease(): Promise<StoredLease> {
    try {
      return (await this.store.read(this.options.node.name)) ?? (await this.switcher.init());
    } catch (error) {
      if (!(error instanceof LeaseRecordInvalidError)) throw error;
      this.reconciled = false; // whatever the corrupt record granted may still be resident
      return this.switcher.replaceCorrupt(error.revision);
    }
  }

  private async view(lease: StoredLease): Promise<NodeView> {
    const { node, budgetMb } = this.options;
    const [upload, everywhere, ...stages] = await Promise.all([
      this.queues.observe('upload'),
      this.presence.liveOnAllNodes(),
      ...GROUPS.map((g) => this.queues.observe(GROUP_STAGE[g])),
    ]);
    const reports = everywhere.filter((r) => r.node === node.name);
    const now = Date.now();
    const groupView = (group: Group, queue: StageQueue): GroupView => {
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
        // Jobs in the CPU upload stage reach speech-to-text without this node's say; later stages are fed by groups
        // this node gates itself.
        upstream: group === 'stt' ? upload.waiting + upload.unacked : 0,
      };
    };
    const groups = {
      stt: groupView('stt', stages[0]),
      extract: groupView('extract', stages[1]),
      rate: groupView('rate', stages[2]),
    };
    this.measure(lease, groups, reports);
    return {
      nowSec: now / 1000,
      phase: lease.record.phase,
      state: lease.record.state,
      quota: lease.record.quota ?? null,
      sinceSec: Date.parse(lease.record.since) / 1000,
      budgetMb,
      switchSec: this.switchSec.value,
      groups,
    };
  }

  /**
   * Seconds per finished job for each granted group, at the concurrency it ran with: busy time between ticks divided
   * by the jobs that finished in it (so batching gains show up as a shorter time per job).
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
        this.busy.finished[group] = finished;
        continue;
      }
      if (view.running > 0) this.busy.sec[group] += dt;
      const done = finished - this.busy.finished[group];
      if (done > 0 && this.busy.sec[group] > 0) {
        this.serviceSec[group].add(this.busy.sec[group] / done);
        this.busy.sec[group] = 0;
        this.busy.finished[group] = finished;
      }
    }
  }
}
