import { jetstreamManager } from '@nats-io/jetstream';
import { Kvm, type KV } from '@nats-io/kv';
import { Objm, type ObjectStore } from '@nats-io/obj';
import type { NatsConnection } from '@nats-io/transport-node';
import type { BucketName } from './bucket-names.js';

/** JetStream's default duplicate window, two minutes, in nanoseconds. */
const DEFAULT_DUPLICATE_WINDOW_NS = 120 * 1_000_000_000;

/** How a KV bucket keeps its entries. */
export interface KvShape {
  /** Values kept per key. */
  history: number;
  /** How long an entry lives after its last write; 0: forever. */
  ttlMs: number;
}

/**
 * Opens a file-backed KV bucket, creating it on first use. nats.js opens an existing bucket as it is, so a TTL or
 * history that changed in the configuration is applied to the backing stream (`KV_<bucket>`) here; otherwise a
 * shorter TTL set by an operator would silently never take effect.
 */
export async function openKv(nc: NatsConnection, name: BucketName, shape: KvShape): Promise<KV> {
  const kv = await new Kvm(nc).create(name, { history: shape.history, ttl: shape.ttlMs, storage: 'file' });
  const status = await kv.status();
  if (status.ttl !== shape.ttlMs || status.history !== shape.history) {
    const jsm = await jetstreamManager(nc);
    const maxAge = shape.ttlMs * 1_000_000;
    // The server refuses a duplicate window longer than max_age, so a shorter TTL shortens the window with it
    // (to what nats.js gives a new bucket: the TTL, at most two minutes).
    const window = maxAge > 0 ? { duplicate_window: Math.min(maxAge, DEFAULT_DUPLICATE_WINDOW_NS) } : {};
    await jsm.streams.update(`KV_${name}`, { max_age: maxAge, max_msgs_per_subject: shape.history, ...window });
  }
  return kv;
}

/** Opens a file-backed object store, creating it on first use. */
export function openObjectStore(nc: NatsConnection, name: BucketName): Promise<ObjectStore> {
  return new Objm(nc).create(name, { storage: 'file' });
}
