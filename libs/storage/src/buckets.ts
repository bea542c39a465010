import { Buckets } from '@introeval/contracts';
import type { NatsConnection } from '@nats-io/transport-node';
import { Kvm, type KV } from '@nats-io/kv';
import { Objm, type ObjectStore } from '@nats-io/obj';

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
  const kvm = new Kvm(nc);
  const objm = new Objm(nc);
  const [jobs, idempotency, settings, media] = await Promise.all([
    kvm.create(Buckets.jobs, { history: 1, storage: 'file' }),
    // Idempotency keys matter for client retries, not forever: a day is plenty.
    kvm.create(Buckets.idempotency, { history: 1, storage: 'file', ttl: 24 * 3600 * 1000 }),
    kvm.create(Buckets.settings, { history: 1, storage: 'file' }),
    objm.create(Buckets.media, { storage: 'file' }),
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
