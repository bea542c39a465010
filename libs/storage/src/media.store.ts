import { createReadStream, createWriteStream } from 'node:fs';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ObjectStore } from '@nats-io/obj';
import { IdleWatchdog } from './idle-watchdog.js';

/** No bytes for this long while reading an object means the read is stuck. */
const DEFAULT_IDLE_MS = 30_000;

/** Uploaded media and extracted audio in the JetStream object store. Streams in and out; never buffers a file. */
export class MediaStore {
  constructor(private readonly store: ObjectStore) {}

  /** Streams `source` into the object `name`; returns its size in bytes. */
  async put(name: string, source: Readable | ReadableStream<Uint8Array>): Promise<number> {
    const stream = source instanceof Readable ? (Readable.toWeb(source) as ReadableStream<Uint8Array>) : source;
    const info = await this.store.put({ name }, stream);
    return info.size;
  }

  async putFile(name: string, path: string): Promise<number> {
    return this.put(name, createReadStream(path));
  }

  /**
   * Writes the object to a file; fails if it does not exist, if `signal` aborts, or if the read stalls for
   * `idleTimeoutMs` (a transient error: the stage is retried).
   */
  async getToFile(name: string, path: string, options: { signal?: AbortSignal; idleTimeoutMs?: number } = {}): Promise<number> {
    const result = await this.store.get(name);
    if (!result) throw new Error(`object ${name} is missing from the media store`);
    const watchdog = new IdleWatchdog(`reading ${name} from the media store`, options.idleTimeoutMs ?? DEFAULT_IDLE_MS);
    await pipeline(Readable.fromWeb(result.data), watchdog, createWriteStream(path), { signal: options.signal });
    const error = await result.error;
    if (error) throw error;
    return result.info.size;
  }

  async size(name: string): Promise<number | null> {
    const info = await this.store.info(name);
    return info && !info.deleted ? info.size : null;
  }

  async delete(name: string): Promise<void> {
    const info = await this.store.info(name);
    if (info && !info.deleted) await this.store.delete(name);
  }
}
