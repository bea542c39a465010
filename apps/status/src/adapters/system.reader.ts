import { JetStreamApiCodes, JetStreamApiError, type JetStreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import type { Logger } from '@nestjs/common';
import { Kvm } from '@nats-io/kv';
import { perStage, Streams, Subjects, type Stage } from '@introeval/contracts';
import { parseLeaseRecord, type LeaseRecord, type SchedulerReport } from '@introeval/lease';
import { StageWorkerDirectory, type StageWorkerHeartbeat } from '@introeval/messaging';
import { BucketNames } from '@introeval/nats';
import { KvReader } from './kv-reader.js';

/** One GPU node as its lease record and its scheduler's last report show it. */
export interface NodeState {
  name: string;
  /** Null when the node's lease record is unreadable (logged). */
  lease: LeaseRecord | null;
  /** Null when no scheduler has reported on the node (or its report is unreadable). */
  report: SchedulerReport | null;
}

/** Everything besides the work stream that the snapshot reads. */
export interface SystemState {
  heartbeats: StageWorkerHeartbeat[];
  nodes: NodeState[];
  deadLetters: Record<Stage, number>;
}

/**
 * Reads, and never writes, what the other services publish: the stage workers' heartbeats, the GPU nodes' lease
 * records (a node is a key of the leases bucket), the schedulers' reports and the dead letters per stage. The buckets
 * are bound without being configured: their TTLs belong to the services that write them.
 */
export class SystemReader {
  private constructor(
    private readonly jsm: JetStreamManager,
    private readonly workers: StageWorkerDirectory,
    private readonly leases: KvReader,
    private readonly reports: KvReader,
    private readonly logger: Pick<Logger, 'warn'>,
  ) {}

  static async open(nc: NatsConnection, jsm: JetStreamManager, logger: Pick<Logger, 'warn'>): Promise<SystemReader> {
    const workers = new StageWorkerDirectory(await new Kvm(nc).open(BucketNames.stageWorkers), logger);
    const [leases, reports] = await Promise.all([KvReader.bind(nc, BucketNames.leases), KvReader.bind(nc, BucketNames.schedulerReports)]);
    return new SystemReader(jsm, workers, leases, reports, logger);
  }

  async read(): Promise<SystemState> {
    const [heartbeats, nodes, deadLetters] = await Promise.all([this.workers.live(), this.nodes(), this.deadLetters()]);
    return { heartbeats, nodes, deadLetters };
  }

  private async nodes(): Promise<NodeState[]> {
    const entries = await this.leases.entries();
    return Promise.all(
      entries.map(async (entry) => {
        const parsed = parseLeaseRecord(entry.string());
        if (!parsed.ok) this.logger.warn(`lease of node ${entry.key} is unreadable: ${parsed.problems.join('; ')}`);
        return { name: entry.key, lease: parsed.ok ? parsed.value : null, report: await this.report(entry.key) };
      }),
    );
  }

  private async report(node: string): Promise<SchedulerReport | null> {
    const entry = await this.reports.get(node);
    if (!entry) return null;
    try {
      const report = entry.json<SchedulerReport>();
      if (report?.node === node && report.lease && report.groups) return report;
    } catch {
      // reported below
    }
    this.logger.warn(`the scheduler report of node ${node} (revision ${entry.revision}) is unreadable; left out`);
    return null;
  }

  /** Dead letters kept per stage (subjects `introeval.dlq.<stage>`), from one stream-info request. */
  private async deadLetters(): Promise<Record<Stage, number>> {
    let subjects: Record<string, number> = {};
    try {
      const info = await this.jsm.streams.info(Streams.deadLetters, { subjects_filter: 'introeval.dlq.>' });
      subjects = info.state.subjects ?? {};
    } catch (error) {
      if (!(error instanceof JetStreamApiError && error.code === JetStreamApiCodes.StreamNotFound)) throw error;
    }
    return perStage((stage) => subjects[Subjects.deadLetter(stage)] ?? 0);
  }
}
