import { createHash } from 'node:crypto';
import type { KV } from '@nats-io/kv';

/**
 * Maps a client's Idempotency-Key to the job it created, so a retried submission gives the same job.
 * Keys are hashed: any client string becomes a valid KV key and nothing the client sent is stored verbatim.
 */
export class IdempotencyStore {
  constructor(private readonly kv: KV) {}

  private static key(idempotencyKey: string): string {
    return createHash('sha256').update(idempotencyKey).digest('hex');
  }

  async find(idempotencyKey: string): Promise<string | null> {
    const entry = await this.kv.get(IdempotencyStore.key(idempotencyKey));
    return entry && entry.operation === 'PUT' ? entry.string() : null;
  }

  /** Binds the key to `jobId` unless it is bound already; returns the job id that owns the key. */
  async claim(idempotencyKey: string, jobId: string): Promise<string> {
    const key = IdempotencyStore.key(idempotencyKey);
    try {
      await this.kv.create(key, jobId);
      return jobId;
    } catch (error) {
      const owner = await this.find(idempotencyKey);
      if (owner) return owner;
      throw error;
    }
  }
}
