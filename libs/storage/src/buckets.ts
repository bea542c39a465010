import { BucketNames, openKv, openObjectStore } from '@introeval/nats';
import type { KV } from '@nats-io/kv';
import type { ObjectStore } from '@nats-io/obj';
import type { NatsConnection } from '@nats-io/transport-node';

export interface Buckets {
  jobs: KV;
  idempotency: KV;
  settings: KV;
  media: ObjectStore;
}

/**
 * Opens the KV buckets and the object store, creating them on first use. Every process calls this at boot; creation
 * is idempotent, so the order in which services start does not matter.
 */
export async function openBuckets(nc: NatsConnection): Promise<Buckets> {
  const [jobs, idempotency, settings, media] = await Promise.all([
    openKv(nc, BucketNames.jobs, { history: 1, ttlMs: 0 }),
    // Idempotency keys matter for client retries, not forever: a day is plenty.
    openKv(nc, BucketNames.idempotency, { history: 1, ttlMs: 24 * 3600 * 1000 }),
    openKv(nc, BucketNames.settings, { history: 1, ttlMs: 0 }),
    openObjectStore(nc, BucketNames.media),
  ]);
  return { jobs, idempotency, settings, media };
}

/** True when every bucket answers (used by readiness probes). */
export async function bucketsReachable(buckets: Buckets): Promise<boolean> {
  try {
    await Promise.all([buckets.jobs.status(), buckets.idempotency.status(), buckets.media.status()]);
    return true;
  } catch {
    return false;
  }
}
