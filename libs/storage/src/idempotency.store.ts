import { createHash } from 'node:crypto';
import type { KV } from '@nats-io/kv';

/** The job an Idempotency-Key created, and a fingerprint of the request that created it. */
export interface IdempotencyClaim {
  jobId: string;
  /** Hash of what identifies the submission (student, text or file name/size/type). */
  fingerprint: string;
}

/**
 * Maps a client's Idempotency-Key to the job it created, so a retried submission gives the same job. The request's
 * fingerprint is kept with it: the same key on a different submission is refused by the caller instead of handing
 * out another student's job. Keys are hashed: any client string becomes a valid KV key and is never stored verbatim.
 */
export class IdempotencyStore {
  constructor(private readonly kv: KV) {}

  private static key(idempotencyKey: string): string {
    return createHash('sha256').update(idempotencyKey).digest('hex');
  }

  async find(idempotencyKey: string): Promise<IdempotencyClaim | null> {
    const entry = await this.kv.get(IdempotencyStore.key(idempotencyKey));
    return entry && entry.operation === 'PUT' ? entry.json<IdempotencyClaim>() : null;
  }

  /** Binds the key to `claim` unless it is bound already; returns the claim that owns the key. */
  async claim(idempotencyKey: string, claim: IdempotencyClaim): Promise<IdempotencyClaim> {
    try {
      await this.kv.create(IdempotencyStore.key(idempotencyKey), JSON.stringify(claim));
      return claim;
    } catch (error) {
      const owner = await this.find(idempotencyKey);
      if (owner) return owner;
      throw error;
    }
  }
}
