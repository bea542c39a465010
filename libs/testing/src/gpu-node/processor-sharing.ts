// The latency model of one loaded model: processor sharing with a concurrency limit and a FIFO queue.
// Pure: it never reads a clock. Every call passes the simulated time, so the maths is unit-testable.

/** Share of work left below which a job counts as done (floating-point dust, not work). */
const DONE_EPSILON = 1e-9;

/**
 * Throughput with `c` requests in service, relative to one: linear from 1 at c = 1 to `gainAtMax` at
 * `maxConcurrency`. One request always runs at full speed; batching helps the card, never a single request.
 */
export function throughputGain(c: number, maxConcurrency: number, gainAtMax: number): number {
  if (c <= 1 || maxConcurrency <= 1) return 1;
  const k = Math.min(c, maxConcurrency);
  return 1 + ((gainAtMax - 1) * (k - 1)) / (maxConcurrency - 1);
}

/** How fast each of `c` concurrent requests progresses (service seconds per simulated second): gain(c) / c. */
export function perRequestRate(c: number, maxConcurrency: number, gainAtMax: number): number {
  return c <= 0 ? 0 : throughputGain(c, maxConcurrency, gainAtMax) / c;
}

export interface SharingParams {
  /** Work of one request: its service time alone on the card (simulated seconds). */
  serviceSec: number;
  maxConcurrency: number;
  gainAtMax: number;
}

/** A request in the model: `startedAt` is null while it waits in the queue. */
export interface SharedJob<T> {
  readonly payload: T;
  readonly arrivedAt: number;
  startedAt: number | null;
  /** Work left, in service seconds at concurrency 1. */
  remaining: number;
}

/**
 * Processor sharing: up to `maxConcurrency` requests run at once, each at rate gain(c)/c, and the rest wait in
 * FIFO order. Rates are recomputed at every arrival, departure and cancellation (`update(t)` first banks the
 * progress made at the old rate), so completion times are exact, not polled.
 */
export class ProcessorSharingQueue<T> {
  private readonly running: SharedJob<T>[] = [];
  private readonly waiting: SharedJob<T>[] = [];
  private lastUpdate = 0;
  /** While false (the model is still loading) nothing starts. */
  private open = false;

  constructor(private readonly params: SharingParams) {
    if (!(params.serviceSec >= 0)) throw new Error(`serviceSec must be >= 0, got ${params.serviceSec}`);
    if (!(params.maxConcurrency >= 1)) throw new Error(`maxConcurrency must be >= 1, got ${params.maxConcurrency}`);
    if (!(params.gainAtMax > 0)) throw new Error(`gainAtMax must be > 0, got ${params.gainAtMax}`);
  }

  get runningCount(): number {
    return this.running.length;
  }

  get waitingCount(): number {
    return this.waiting.length;
  }

  get size(): number {
    return this.running.length + this.waiting.length;
  }

  /** Starts serving (the model finished loading): returns the jobs that got a slot at `t`. */
  openAt(t: number): SharedJob<T>[] {
    this.update(t);
    this.open = true;
    return this.fill(t);
  }

  /** Adds a request at `t`; returns the jobs that started (this one, if a slot was free). */
  arrive(payload: T, t: number): { job: SharedJob<T>; started: SharedJob<T>[] } {
    this.update(t);
    const job: SharedJob<T> = { payload, arrivedAt: t, startedAt: null, remaining: this.params.serviceSec };
    this.waiting.push(job);
    return { job, started: this.fill(t) };
  }

  /** Removes a request (its client went away); returns the jobs that took its slot. */
  cancel(job: SharedJob<T>, t: number): SharedJob<T>[] {
    this.update(t);
    const w = this.waiting.indexOf(job);
    if (w >= 0) {
      this.waiting.splice(w, 1);
      return [];
    }
    const r = this.running.indexOf(job);
    if (r < 0) return [];
    this.running.splice(r, 1);
    return this.fill(t);
  }

  /** When the next running request will finish at the current rates, or null when none runs. */
  nextCompletion(): number | null {
    if (this.running.length === 0) return null;
    const rate = this.rate();
    const least = Math.min(...this.running.map((j) => j.remaining));
    return this.lastUpdate + Math.max(0, least) / rate;
  }

  /** Completes every request finished by `t`; returns them and the jobs that took their slots. */
  completeDue(t: number): { finished: SharedJob<T>[]; started: SharedJob<T>[] } {
    this.update(t);
    const threshold = DONE_EPSILON * Math.max(1, this.params.serviceSec);
    const finished = this.running.filter((j) => j.remaining <= threshold);
    for (const job of finished) this.running.splice(this.running.indexOf(job), 1);
    return { finished, started: this.fill(t) };
  }

  private rate(): number {
    return perRequestRate(this.running.length, this.params.maxConcurrency, this.params.gainAtMax);
  }

  /** Banks the progress every running job made since the last change, at the rate that held meanwhile. */
  private update(t: number): void {
    const elapsed = t - this.lastUpdate;
    if (elapsed > 0 && this.running.length > 0) {
      const progress = elapsed * this.rate();
      for (const job of this.running) job.remaining = Math.max(0, job.remaining - progress);
    }
    this.lastUpdate = Math.max(this.lastUpdate, t);
  }

  private fill(t: number): SharedJob<T>[] {
    const started: SharedJob<T>[] = [];
    while (this.open && this.running.length < this.params.maxConcurrency && this.waiting.length > 0) {
      const job = this.waiting.shift()!;
      job.startedAt = t;
      this.running.push(job);
      started.push(job);
    }
    return started;
  }
}
