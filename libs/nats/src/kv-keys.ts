import { JetStreamApiCodes, JetStreamApiError } from '@nats-io/jetstream';
import type { Bucket } from '@nats-io/kv';

/**
 * The keys of `bucket` matching `filter` (a subject filter relative to the bucket, `>` for all) present now, from one
 * stream-info request. Not `kv.keys()`: it runs a consumer that ends only when the last pending message arrives, and
 * when an entry expires in between it waits for a 5 s idle heartbeat. Keys whose last entry is a delete marker are
 * listed too (a reader skips them when it reads them). A bucket nobody has created yet has no keys.
 */
export async function kvKeys(bucket: Bucket, filter = '>'): Promise<string[]> {
  const prefix = `$KV.${bucket.bucket}.`;
  try {
    const info = await bucket.jsm.streams.info(bucket.stream, { subjects_filter: `${prefix}${filter}` });
    return Object.keys(info.state.subjects ?? {}).map((subject) => subject.slice(prefix.length));
  } catch (error) {
    if (error instanceof JetStreamApiError && error.code === JetStreamApiCodes.StreamNotFound) return [];
    throw error;
  }
}
