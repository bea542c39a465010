import { ErrorCode, IntroEvalError, type JobRecord } from '@introeval/contracts';
import { isCasConflict } from '@introeval/nats';
import type { KV } from '@nats-io/kv';

/**
 * Job records in the `introeval-jobs` KV bucket. Every write after creation is a compare-and-set on the entry's
 * revision, so two stages (or a redelivered message and its original) never overwrite each other's output.
 */
export class JobStore {
  constructor(private readonly kv: KV) {}

  /** Stores a new record; fails if the id exists. */
  async create(record: JobRecord): Promise<void> {
    await this.kv.create(record.id, JSON.stringify(record));
  }

  async get(id: string): Promise<JobRecord | null> {
    const entry = await this.kv.get(id);
    if (!entry || entry.operation !== 'PUT') return null;
    return entry.json<JobRecord>();
  }

  /** Like get, but a missing record is an error that names the job. */
  async require(id: string): Promise<JobRecord> {
    const record = await this.get(id);
    if (!record) throw IntroEvalError.permanent(ErrorCode.NotFound, `job ${id} does not exist`);
    return record;
  }

  /** Removes a record (a job that lost an idempotency race and was never queued). */
  async delete(id: string): Promise<void> {
    await this.kv.delete(id);
  }

  /**
   * Applies `change` to the current record and writes it back by compare-and-set, retrying on conflicts.
   * `change` returns the new record, or null to leave it as it is. Returns what is stored afterwards.
   */
  async mutate(id: string, change: (record: JobRecord) => JobRecord | null): Promise<JobRecord> {
    for (let attempt = 0; ; attempt++) {
      const entry = await this.kv.get(id);
      if (!entry || entry.operation !== 'PUT') {
        throw IntroEvalError.permanent(ErrorCode.NotFound, `job ${id} does not exist`);
      }
      const current = entry.json<JobRecord>();
      const next = change(structuredClone(current));
      if (next === null) return current;
      next.updatedAt = new Date().toISOString();
      try {
        await this.kv.update(id, JSON.stringify(next), entry.revision);
        return next;
      } catch (error) {
        if (!isCasConflict(error) || attempt >= 50) throw error;
      }
    }
  }
}
