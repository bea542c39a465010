import { GROUPS, perGroup, type Group } from '@introeval/contracts';
import type { LeaseRecord, Measured, SchedulerReport, SchedulerReports } from '@introeval/lease';
import type { GroupDriver } from '@introeval/residency';
import type { AdaptiveSettings, NodeView } from '@introeval/scheduling';
import type { GpuNodeSpec } from './gpu-nodes.config.js';
import { planFor } from './scheduler-plan.js';

/** A report unchanged is written again this often, so a reader can tell a live scheduler by its `at`. */
const REFRESH_MS = 1000;
/** How often the engines are asked what they hold; each probe is one GET per group. */
const PROBE_EVERY_MS = 3000;

/** What one scheduler tick saw: the view the policy decided on, and the measurements behind it. */
export interface TickSnapshot {
  view: NodeView;
  lease: LeaseRecord;
  groups: Record<Group, Measured>;
  switchSec: Measured;
  switchStartedAt: string | null;
}

export interface ReporterDeps {
  node: GpuNodeSpec;
  budgetMb: number;
  holder: string;
  policy: { name: string; settings: AdaptiveSettings };
  reports: Pick<SchedulerReports, 'publish'>;
  drivers: Record<Group, Pick<GroupDriver, 'resident'>>;
  isLeader: () => boolean;
  logger: { warn(message: string): void };
  refreshMs?: number;
  probeEveryMs?: number;
}

/**
 * Publishes a node's SchedulerReport for the status service while this scheduler leads the node: after a tick or a
 * lease write that changed anything the report says or is computed from, and otherwise once a second. The tick
 * loop waits out a whole switch, so lease writes (the switch's steps) and a timer publish too. The resident models
 * are probed through the drivers every few seconds, beside the ticks, never inside one.
 */
export class SchedulerReporter {
  private snapshot: TickSnapshot | null = null;
  private resident: SchedulerReport['resident'] = null;
  private lastKey = '';
  private lastWrittenAt = 0;
  private publishing: Promise<void> | null = null;
  private again = false;
  private timers: NodeJS.Timeout[] = [];

  constructor(private readonly deps: ReporterDeps) {}

  start(): void {
    if (this.timers.length > 0) return;
    const refreshMs = this.deps.refreshMs ?? REFRESH_MS;
    this.timers.push(setInterval(() => this.publish(), Math.max(50, Math.round(refreshMs / 4))));
    this.timers.push(setInterval(() => void this.probe(), this.deps.probeEveryMs ?? PROBE_EVERY_MS));
    void this.probe();
  }

  async stop(): Promise<void> {
    for (const timer of this.timers) clearInterval(timer);
    this.timers = [];
    await this.publishing;
  }

  /** After every tick while leading. */
  observe(snapshot: TickSnapshot): void {
    this.snapshot = snapshot;
    this.publish();
  }

  /** After every lease write (the switch's steps included), with the switch's start as the timer knows it. */
  leaseWritten(record: LeaseRecord, switchStartedAt: string | null): void {
    if (!this.snapshot) return;
    this.snapshot = { ...this.snapshot, lease: record, switchStartedAt };
    this.publish();
  }

  /** Asks every group's engine what it holds; null when any cannot answer (a partial picture would mislead). */
  async probe(): Promise<void> {
    if (!this.deps.isLeader()) return;
    try {
      const found = await Promise.all(GROUPS.map(async (group) => (await this.deps.drivers[group].resident()).map((r) => ({ group, ...r }))));
      this.resident = found.flat();
    } catch (error) {
      if (this.resident !== null) this.deps.logger.warn(`node ${this.deps.node.name}: resident models unknown: ${(error as Error).message}`);
      this.resident = null;
    }
    this.publish();
  }

  /** Writes the report if it changed or is due; one write at a time, the latest state last. */
  private publish(): void {
    if (this.publishing) {
      this.again = true;
      return;
    }
    const snapshot = this.snapshot;
    if (!snapshot || !this.deps.isLeader()) return;
    const key = changeKey(snapshot, this.resident);
    const due = Date.now() - this.lastWrittenAt >= (this.deps.refreshMs ?? REFRESH_MS);
    if (key === this.lastKey && !due) return;
    this.publishing = (async () => {
      try {
        await this.deps.reports.publish(this.report(snapshot));
        this.lastKey = key;
        this.lastWrittenAt = Date.now();
      } catch (error) {
        this.deps.logger.warn(`node ${this.deps.node.name}: scheduler report not written: ${(error as Error).message}`);
      } finally {
        this.publishing = null;
        if (this.again) {
          this.again = false;
          this.publish();
        }
      }
    })();
  }

  private report(snapshot: TickSnapshot): SchedulerReport {
    const { node, budgetMb, holder, policy } = this.deps;
    const plan = planFor({
      node: node.name,
      nowSec: Date.now() / 1000,
      view: snapshot.view,
      lease: snapshot.lease,
      policy,
      groups: snapshot.groups,
      switchSec: snapshot.switchSec,
    });
    return {
      node: node.name,
      holder,
      at: new Date().toISOString(),
      policy: policy.name,
      policySettings: { maxWaitSec: policy.settings.maxWaitSec, lingerSec: policy.settings.lingerSec },
      budgetMb,
      lease: snapshot.lease,
      plan,
      switchStartedAt: snapshot.switchStartedAt,
      switchSec: snapshot.switchSec,
      groups: perGroup((g) => ({
        ...snapshot.groups[g],
        concurrency: node.groups[g].concurrency,
        vramMb: node.groups[g].vramMb,
        gainAtMax: node.groups[g].gainAtMax ?? 1,
      })),
      resident: this.resident,
    };
  }
}

/**
 * What a change is: anything the report says but the time (the lease, the switch, the measurements, the resident
 * models) or what its plan is computed from (the queues the policy saw).
 */
function changeKey(snapshot: TickSnapshot, resident: SchedulerReport['resident']): string {
  const queues = GROUPS.map((g) => {
    const v = snapshot.view.groups[g];
    return [v.waiting, v.running, v.upstream, v.startedInEpoch];
  });
  const measured = [...GROUPS.map((g) => snapshot.groups[g]), snapshot.switchSec].map((m) => [m.samples, m.mean.toFixed(3)]);
  return JSON.stringify([snapshot.lease, snapshot.switchStartedAt, queues, measured, resident]);
}
