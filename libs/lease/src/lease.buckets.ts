import { BucketNames, openKv } from '@introeval/nats';
import type { KV } from '@nats-io/kv';
import type { NatsConnection } from '@nats-io/transport-node';

/** The KV buckets of the lease protocol (docs/lease.md); their names are BucketNames.leaders, .leases and .workers. */
export interface LeaseBuckets {
  leaders: KV;
  leases: KV;
  workers: KV;
}

export interface LeaseBucketOptions {
  /** How long a leadership key lives after its last renewal. */
  leaderTtlMs: number;
  /** How long a worker's report lives after its last heartbeat. */
  heartbeatTtlMs: number;
}

/** A few past lease records help when reading what the scheduler did; the protocol itself needs only the last. */
const LEASE_HISTORY = 5;

/** Opens (creating or reconfiguring) the leaders, leases and workers buckets; every scheduler and worker at boot. */
export async function openLeaseBuckets(nc: NatsConnection, opts: LeaseBucketOptions): Promise<LeaseBuckets> {
  for (const [name, ms] of Object.entries(opts)) {
    // nats-server refuses a stream max_age under 100 ms; a non-integer would not survive the nanosecond conversion.
    if (!Number.isInteger(ms) || ms < 100) {
      throw new RangeError(`${name} must be an integer of at least 100 ms, got ${ms}`);
    }
  }
  // openKv also applies a changed TTL to an existing bucket: an operator's shorter leader TTL takes effect.
  const [leaders, leases, workers] = await Promise.all([
    openKv(nc, BucketNames.leaders, { history: 1, ttlMs: opts.leaderTtlMs }),
    openKv(nc, BucketNames.leases, { history: LEASE_HISTORY, ttlMs: 0 }),
    openKv(nc, BucketNames.workers, { history: 1, ttlMs: opts.heartbeatTtlMs }),
  ]);
  return { leaders, leases, workers };
}

/**
 * Opens (creating or reconfiguring) the bucket of the schedulers' reports (BucketNames.schedulerReports): one key per
 * node, the latest report only, no TTL (a report's `at` says how fresh it is; a node nobody leads keeps its last).
 * The scheduler writes it, the status service reads it.
 */
export async function openSchedulerReportsBucket(nc: NatsConnection): Promise<KV> {
  return openKv(nc, BucketNames.schedulerReports, { history: 1, ttlMs: 0 });
}
