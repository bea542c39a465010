import { Logger } from '@nestjs/common';
import { Bucket, type KV } from '@nats-io/kv';
import { kvKeys } from '@introeval/nats';
import type { LeaseLogger } from './clock.js';
import type { LeaseBuckets } from './lease.buckets.js';
import type { Group, WorkerReport } from './lease.record.js';
import { assertNodeName, assertWorkerId, parseWorkerReport, workerReportProblems } from './lease.validation.js';

/**
 * Stage workers' heartbeats in the workers bucket. A heartbeat is a re-report; the bucket's max_age removes the
 * report of a worker that stopped sending them, so "present" means "heard from within the heartbeat TTL".
 */
export class WorkerPresence {
  private readonly kv: KV;
  private readonly bucket: Bucket;

  constructor(
    buckets: LeaseBuckets,
    private readonly logger: LeaseLogger = new Logger(WorkerPresence.name),
  ) {
    this.kv = buckets.workers;
    // Listing needs the bucket's stream; every KV that Kvm opens is a Bucket.
    if (!(buckets.workers instanceof Bucket)) throw new TypeError('the workers bucket must be opened with Kvm');
    this.bucket = buckets.workers;
  }

  /** The key of one worker's report: `${node}.${group}.${workerId}`. */
  static key(node: string, group: Group, workerId: string): string {
    assertNodeName(node);
    assertWorkerId(workerId);
    return `${node}.${group}.${workerId}`;
  }

  /** Stores (or refreshes) a worker's report. */
  async report(report: WorkerReport): Promise<void> {
    const problems = workerReportProblems(report);
    if (problems.length > 0) throw new RangeError(`refusing to store an invalid worker report: ${problems.join('; ')}`);
    await this.kv.put(WorkerPresence.key(report.node, report.group, report.workerId), JSON.stringify(report));
  }

  /**
   * The reports still present for `node` (one group, or all): not expired, not removed. A corrupt report is logged
   * and left out; it expires like any other. Worker ids hold no dots, so exactly two tokens follow the node name
   * (which may itself contain dots).
   */
  async live(node: string, group?: Group): Promise<WorkerReport[]> {
    assertNodeName(node);
    const keys = await kvKeys(this.bucket, `${node}.${group ?? '*'}.*`);
    return this.read(keys, (report) => report.node === node && (group === undefined || report.group === group));
  }

  /**
   * The reports still present for every node (one group, or all). The scheduler compares what all gated workers hold
   * with a stage's unacknowledged messages: the rest belong to workers that died and wait for redelivery.
   */
  async liveOnAllNodes(group?: Group): Promise<WorkerReport[]> {
    return this.read(await kvKeys(this.bucket, '>'), (report) => group === undefined || report.group === group);
  }

  private async read(keys: string[], keep: (report: WorkerReport) => boolean): Promise<WorkerReport[]> {
    const entries = await Promise.all(keys.map((key) => this.kv.get(key)));
    const reports: WorkerReport[] = [];
    for (const entry of entries) {
      // Gone between listing and reading (expired or removed just now).
      if (!entry || entry.operation !== 'PUT') continue;
      const parsed = parseWorkerReport(entry.string());
      if (!parsed.ok) {
        const problems = parsed.problems.join('; ');
        this.logger.warn(`worker report ${entry.key} (revision ${entry.revision}) is invalid: ${problems}`);
        continue;
      }
      if (keep(parsed.value)) reports.push(parsed.value);
    }
    return reports.sort((a, b) => a.group.localeCompare(b.group) || a.workerId.localeCompare(b.workerId));
  }

  /** Removes a worker's report (a worker stopping cleanly), so the scheduler need not wait for it to expire. */
  async remove(node: string, group: Group, workerId: string): Promise<void> {
    await this.kv.delete(WorkerPresence.key(node, group, workerId));
  }
}
