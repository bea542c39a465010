import { Bucket, type KV } from '@nats-io/kv';
import type { NatsConnection } from '@nats-io/transport-node';
import type { Logger } from '@nestjs/common';
import { STAGES, type Stage } from '@introeval/contracts';
import { BucketNames, kvKeys, openKv } from '@introeval/nats';
import { MovingAverage, type Measured } from '@introeval/scheduling';
import { errorMessage } from './retry.policy.js';

/**
 * What every stage worker (gated on a GPU lease or not) writes to KV `BucketNames.stageWorkers` under
 * `${stage}.${workerId}`, every heartbeat and whenever a job finishes. The bucket's max_age removes the record of a
 * worker that stopped sending them, so a present record means "a worker is consuming this stage": the status service
 * counts them as the stage's consumers and forecasts ungated stages from their slots and measured times.
 */
export interface StageWorkerHeartbeat {
  stage: Stage;
  /** The app running the stage (stage table `service`). */
  service: string;
  /** Unique per process; no dots (it is a key token). */
  workerId: string;
  /** Jobs this worker may hold at once now (under a GPU grant: the grant's concurrency). */
  concurrency: number;
  /** Jobs it holds now. */
  inFlight: number;
  /** The GPU node it is bound to (GPU_NODE); null for an ungated worker. */
  node: string | null;
  /** Seconds one job took in one slot, from taking the message to its ack (successful jobs only). */
  serviceTime: Measured;
  /** When it was written (ISO 8601). */
  at: string;
}

/** A worker that has not written for this many heartbeat periods has its record expired by the bucket. */
export const HEARTBEAT_TTL_PERIODS = 3;

const WORKER_ID = /^[A-Za-z0-9_-]{1,128}$/;

/**
 * Opens the stage workers' bucket with a TTL of HEARTBEAT_TTL_PERIODS heartbeats. Only the workers open it this way
 * (they own its TTL); readers bind to it without configuring it (StageWorkerDirectory).
 */
export function openStageWorkerBucket(nc: NatsConnection, heartbeatMs: number): Promise<KV> {
  if (!Number.isInteger(heartbeatMs) || heartbeatMs < 100) {
    throw new RangeError(`the stage heartbeat must be an integer of at least 100 ms, got ${heartbeatMs}`);
  }
  return openKv(nc, BucketNames.stageWorkers, { history: 1, ttlMs: HEARTBEAT_TTL_PERIODS * heartbeatMs });
}

/** What a heartbeat reads from its worker each time it writes. */
export interface HeartbeatSource {
  /** Jobs held now. */
  readonly running: number;
  /** Jobs it may hold now. */
  readonly slots: number;
}

export interface StageHeartbeatOptions {
  kv: KV;
  stage: Stage;
  service: string;
  workerId: string;
  node: string | null;
  everyMs: number;
  logger: Logger;
}

/**
 * One worker's heartbeat: writes its record every `everyMs` and soon after each finished job (coalesced, so a burst of
 * acks is one write), and removes it on a clean stop so that readers need not wait for it to expire.
 */
export class StageHeartbeat {
  // Recent jobs count most, so a worker that got faster or slower (another engine, another machine) shows it after a
  // few jobs; it starts from nothing measured (mean 0, samples 0).
  private readonly times = new MovingAverage(0, 0.2);
  private timer: NodeJS.Timeout | null = null;
  private soon: NodeJS.Timeout | null = null;
  private source: HeartbeatSource | null = null;
  private writing: Promise<void> = Promise.resolve();
  private stopped = false;
  private failing = false;

  constructor(private readonly options: StageHeartbeatOptions) {
    if (!WORKER_ID.test(options.workerId)) {
      throw new RangeError(`worker id "${options.workerId}" must be 1-128 letters, digits, - or _ (it is a key token)`);
    }
    if (!STAGES.includes(options.stage)) throw new RangeError(`unknown stage "${options.stage}"`);
  }

  /** The record's key: `${stage}.${workerId}`. */
  get key(): string {
    return `${this.options.stage}.${this.options.workerId}`;
  }

  /** The worker whose slots and jobs the records report. */
  attach(source: HeartbeatSource): void {
    this.source = source;
  }

  /** Starts writing; the first record goes out at once. */
  start(): void {
    if (this.timer || this.stopped) return;
    this.beat();
    this.timer = setInterval(() => this.beat(), this.options.everyMs);
    this.timer.unref();
  }

  /** A job took `ms` from its message being taken to its ack. */
  served(ms: number): void {
    this.times.add(ms / 1000);
    this.changed();
  }

  /** Something a reader cares about changed (a job started or ended): write soon. */
  changed(): void {
    if (this.soon || this.stopped || !this.source) return;
    this.soon = setTimeout(() => {
      this.soon = null;
      this.beat();
    }, 50);
    this.soon.unref();
  }

  /** Stops writing and removes the record. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    if (this.soon) clearTimeout(this.soon);
    this.timer = this.soon = null;
    await this.writing;
    try {
      await this.options.kv.delete(this.key);
    } catch (error) {
      // It expires with the bucket's max_age anyway.
      this.options.logger.warn(`could not remove the heartbeat ${this.key}: ${errorMessage(error)}`);
    }
  }

  /** The record as it would be written now. */
  record(): StageWorkerHeartbeat {
    const { stage, service, workerId, node } = this.options;
    return {
      stage,
      service,
      workerId,
      concurrency: this.source?.slots ?? 0,
      inFlight: this.source?.running ?? 0,
      node,
      serviceTime: this.times.snapshot(),
      at: new Date().toISOString(),
    };
  }

  private beat(): void {
    if (this.stopped) return;
    // One write at a time, in order: a slow write must not be overtaken by an older record.
    this.writing = this.writing.then(() => this.write());
  }

  private async write(): Promise<void> {
    if (this.stopped) return;
    try {
      await this.options.kv.put(this.key, JSON.stringify(this.record()));
      if (this.failing) this.options.logger.log(`heartbeat ${this.key} written again`);
      this.failing = false;
    } catch (error) {
      // NATS down: the record expires and the stage shows no consumer, which is then the truth seen from outside.
      if (!this.failing) this.options.logger.warn(`heartbeat ${this.key} not written: ${errorMessage(error)}`);
      this.failing = true;
    }
  }
}

/** Problems with a stored heartbeat, in words; empty when it is valid. */
export function heartbeatProblems(value: unknown): string[] {
  if (typeof value !== 'object' || value === null) return ['not an object'];
  const v = value as Record<string, unknown>;
  const problems: string[] = [];
  if (!STAGES.includes(v.stage as Stage)) problems.push(`stage ${JSON.stringify(v.stage)} is not a stage`);
  for (const key of ['service', 'workerId', 'at'] as const) {
    if (typeof v[key] !== 'string') problems.push(`${key} is not a string`);
  }
  for (const key of ['concurrency', 'inFlight'] as const) {
    if (!(Number.isInteger(v[key]) && (v[key] as number) >= 0)) problems.push(`${key} is not a non-negative integer`);
  }
  if (v.node !== null && typeof v.node !== 'string') problems.push('node is neither null nor a string');
  const t = v.serviceTime as Record<string, unknown> | undefined;
  if (!t || !['mean', 'spread', 'samples'].every((key) => typeof t[key] === 'number' && t[key] >= 0)) {
    problems.push('serviceTime needs non-negative mean, spread and samples');
  }
  return problems;
}

/**
 * Reads the live stage workers' records: every record the bucket still holds (heard from within the TTL, not removed
 * by a clean stop). Binds to the bucket without configuring it (its TTL is the workers'); a bucket no worker has
 * created yet reads as empty.
 */
export class StageWorkerDirectory {
  private readonly bucket: Bucket;

  constructor(
    kv: KV,
    private readonly logger: Pick<Logger, 'warn'>,
  ) {
    if (!(kv instanceof Bucket)) throw new TypeError('the stage workers bucket must be opened with Kvm');
    this.bucket = kv;
  }

  async live(): Promise<StageWorkerHeartbeat[]> {
    const entries = await Promise.all((await kvKeys(this.bucket)).map((key) => this.bucket.get(key)));
    const live: StageWorkerHeartbeat[] = [];
    for (const entry of entries) {
      if (!entry || entry.operation !== 'PUT') continue;
      let value: unknown;
      try {
        value = entry.json();
      } catch {
        value = null;
      }
      const problems = heartbeatProblems(value);
      if (problems.length > 0) {
        this.logger.warn(`stage worker record ${entry.key} is invalid: ${problems.join('; ')}`);
        continue;
      }
      live.push(value as StageWorkerHeartbeat);
    }
    return live.sort((a, b) => a.stage.localeCompare(b.stage) || a.workerId.localeCompare(b.workerId));
  }
}
