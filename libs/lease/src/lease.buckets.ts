import { jetstreamManager } from '@nats-io/jetstream';
import { Kvm, type KV } from '@nats-io/kv';
import type { NatsConnection } from '@nats-io/transport-node';

/** The KV buckets of the lease protocol (docs/lease.md). */
export const LeaseBucketNames = {
  /** key = node name, value = the holder of the scheduler leadership for that node; expires by bucket max_age. */
  leaders: 'introeval-sched-leaders',
  /** key = node name, value = LeaseRecord; written by the leader only, by compare-and-set. */
  leases: 'introeval-gpu-leases',
  /** key = `${node}.${group}.${workerId}`, value = WorkerReport; a heartbeat re-writes it, max_age expires the dead. */
  workers: 'introeval-gpu-workers',
} as const;

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

interface BucketShape {
  history: number;
  /** 0: entries never expire. */
  ttlMs: number;
}

/**
 * Opens a KV bucket, creating it on first use. nats.js opens an existing bucket as it is, so a TTL or history that
 * changed in the configuration is applied to the backing stream (`KV_<bucket>`) here; otherwise a shorter leader TTL
 * set by an operator would silently never take effect.
 */
async function ensureBucket(nc: NatsConnection, kvm: Kvm, name: string, shape: BucketShape): Promise<KV> {
  const kv = await kvm.create(name, { history: shape.history, ttl: shape.ttlMs, storage: 'file' });
  const status = await kv.status();
  if (status.ttl !== shape.ttlMs || status.history !== shape.history) {
    const jsm = await jetstreamManager(nc);
    await jsm.streams.update(`KV_${name}`, { max_age: shape.ttlMs * 1_000_000, max_msgs_per_subject: shape.history });
  }
  return kv;
}

/** Opens (creating or reconfiguring) the leaders, leases and workers buckets; every scheduler and worker at boot. */
export async function openLeaseBuckets(nc: NatsConnection, opts: LeaseBucketOptions): Promise<LeaseBuckets> {
  for (const [name, ms] of Object.entries(opts)) {
    // nats-server refuses a stream max_age under 100 ms; a non-integer would not survive the nanosecond conversion.
    if (!Number.isInteger(ms) || ms < 100) {
      throw new RangeError(`${name} must be an integer of at least 100 ms, got ${ms}`);
    }
  }
  const kvm = new Kvm(nc);
  const [leaders, leases, workers] = await Promise.all([
    ensureBucket(nc, kvm, LeaseBucketNames.leaders, { history: 1, ttlMs: opts.leaderTtlMs }),
    ensureBucket(nc, kvm, LeaseBucketNames.leases, { history: LEASE_HISTORY, ttlMs: 0 }),
    ensureBucket(nc, kvm, LeaseBucketNames.workers, { history: 1, ttlMs: opts.heartbeatTtlMs }),
  ]);
  return { leaders, leases, workers };
}
