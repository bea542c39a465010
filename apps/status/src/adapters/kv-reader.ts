import { JetStreamApiCodes, JetStreamApiError } from '@nats-io/jetstream';
import { Bucket, Kvm, type KvEntry } from '@nats-io/kv';
import type { NatsConnection } from '@nats-io/transport-node';
import { kvKeys, type BucketName } from '@introeval/nats';

/**
 * Reads a KV bucket that another service owns, without creating or reconfiguring it (its TTL and history are the
 * owner's): a bucket nobody has created yet reads as empty, and is read as soon as it appears.
 */
export class KvReader {
  private constructor(private readonly bucket: Bucket) {}

  static async bind(nc: NatsConnection, name: BucketName): Promise<KvReader> {
    const kv = await new Kvm(nc).open(name);
    if (!(kv instanceof Bucket)) throw new TypeError(`bucket ${name} did not open as a Bucket`);
    return new KvReader(kv);
  }

  /** The keys present now (kvKeys: one stream-info request), sorted. */
  async keys(): Promise<string[]> {
    return (await kvKeys(this.bucket)).sort();
  }

  /** The key's value; null when absent, deleted or the bucket does not exist. */
  async get(key: string): Promise<KvEntry | null> {
    try {
      const entry = await this.bucket.get(key);
      return entry && entry.operation === 'PUT' ? entry : null;
    } catch (error) {
      if (error instanceof JetStreamApiError && error.code === JetStreamApiCodes.StreamNotFound) return null;
      throw error;
    }
  }

  /** Every present key's entry. */
  async entries(): Promise<KvEntry[]> {
    const entries = await Promise.all((await this.keys()).map((key) => this.get(key)));
    return entries.filter((entry): entry is KvEntry => entry !== null);
  }
}
