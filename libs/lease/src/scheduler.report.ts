import type { KV } from '@nats-io/kv';
import type { Measured } from '@introeval/scheduling';
import type { Group, LeaseRecord } from './lease.record.js';


/**
 * What a node's leading scheduler publishes every tick (bucket BucketNames.schedulerReports, key: node name), so that
 * the status service can show the node and forecast over it without asking the scheduler process.
 */
export interface SchedulerReport {
  node: string;
  holder: string;
  /** When it was written (ISO 8601). */
  at: string;
  policy: string;
  policySettings: { maxWaitSec: number; lingerSec: number };
  budgetMb: number;
  /** The lease as the scheduler last read or wrote it. */
  lease: LeaseRecord;
  /** The phase the scheduler plans to grant next, null when it plans to stay; and when it expects to switch. */
  plan: { next: Group[] | null; atSec: number | null };
  /** While a switch is under way: when it started (ISO 8601). */
  switchStartedAt: string | null;
  switchSec: Measured;
  /** Per group: seconds per finished job at `concurrency`, and the group's footprint. */
  /** `gainAtMax`: the engine's throughput at its concurrency relative to one job alone (the node file's; 1: none). */
  groups: Record<Group, Measured & { concurrency: number; vramMb: number; gainAtMax?: number }>;
  /** What the engines report resident (their /api/ps), probed by the scheduler; null when the probe failed. */
  resident: { group: Group; model: string; vramMb: number | null }[] | null;
}

export type { Measured };

/** The schedulers' reports: written by each node's leader, read by the status service. */
export class SchedulerReports {
  constructor(private readonly kv: KV) {}

  async publish(report: SchedulerReport): Promise<void> {
    await this.kv.put(report.node, JSON.stringify(report));
  }

  async read(node: string): Promise<SchedulerReport | null> {
    const entry = await this.kv.get(node);
    return entry && entry.operation === 'PUT' ? entry.json<SchedulerReport>() : null;
  }
}
