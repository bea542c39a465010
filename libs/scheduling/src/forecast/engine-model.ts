// The two service models the replay runs jobs on. Pure: every call passes the simulated time.

/** Work below this counts as done (floating-point dust, not work). */
const DONE_EPSILON = 1e-9;

/**
 * How much faster an engine serves `n` jobs together than one: 1 at n = 1, rising linearly to `gainAtMax` at its
 * concurrency (Whisper batches, Ollama's parallel slots), flat beyond. `gainAtMax` 1: concurrency buys nothing.
 */
export function throughputGain(n: number, concurrency: number, gainAtMax: number): number {
  if (n <= 1 || concurrency <= 1) return 1;
  return 1 + ((gainAtMax - 1) * (Math.min(n, concurrency) - 1)) / (concurrency - 1);
}

/**
 * A measured busy time per finished job, taken while `meanRunning` jobs ran on average, as the time per job with the
 * engine full (what the forecast's `secPerJob` means): the time alone is `perJob x gain(meanRunning)`, and a full
 * engine takes that over `gainAtMax`.
 */
export function perJobWhenFull(perJob: number, meanRunning: number, concurrency: number, gainAtMax: number): number {
  return (perJob * throughputGain(meanRunning, concurrency, gainAtMax)) / gainAtMax;
}

/**
 * A GPU group's engine as one server shared by the jobs in it (processor sharing), whose throughput grows with the
 * jobs it serves (`gain`): `workSec` is one job's time alone, and while n jobs run each advances at gain(n) / n. A full
 * engine then finishes one job per workSec / gain(concurrency), the throughput the scheduler measures, a lone job
 * takes workSec, and a batch that starts together ends together, as on a batching engine. Jobs beyond the
 * concurrency wait outside (the workers never hold more than the grant's concurrency), so `add` is only called when
 * there is room.
 */
export class SharedEngine<T> {
  private readonly running: { job: T; remaining: number }[] = [];
  private lastSec: number;

  constructor(
    readonly workSec: number,
    startSec: number,
    private readonly gain: (n: number) => number = () => 1,
  ) {
    this.lastSec = startSec;
  }

  /** How fast each of `n` running jobs advances, in seconds of work alone per second. */
  rateEach(n: number): number {
    return n <= 0 ? 0 : this.gain(n) / n;
  }

  get count(): number {
    return this.running.length;
  }

  /** Starts `job` at `t` with `remaining` seconds of the engine's undivided work left (a whole job by default). */
  add(job: T, t: number, remaining = this.workSec): void {
    this.advance(t);
    this.running.push({ job, remaining: Math.max(0, remaining) });
  }

  /** When the next job finishes at the current sharing, or null when none runs. */
  nextCompletion(): number | null {
    if (this.running.length === 0) return null;
    let least = Infinity;
    for (const r of this.running) least = Math.min(least, r.remaining);
    return this.lastSec + least / this.rateEach(this.running.length);
  }

  /** Removes and returns the jobs finished by `t` (within rounding), in the order they started. */
  takeDone(t: number): T[] {
    this.advance(t);
    const threshold = DONE_EPSILON * Math.max(1, this.workSec, t);
    const done: T[] = [];
    for (let i = 0; i < this.running.length; ) {
      if (this.running[i].remaining <= threshold) done.push(this.running.splice(i, 1)[0].job);
      else i++;
    }
    return done;
  }

  private advance(t: number): void {
    const elapsed = t - this.lastSec;
    if (elapsed > 0 && this.running.length > 0) {
      const progress = elapsed * this.rateEach(this.running.length);
      for (const r of this.running) r.remaining -= progress;
    }
    this.lastSec = Math.max(this.lastSec, t);
  }
}

/**
 * An ungated stage (upload on the CPU; every stage on a machine without GPU nodes): `slots` independent workers'
 * slots, each taking `workSec` per job, as the workers measure one job's time.
 */
export class SlotPool<T> {
  private readonly running: { job: T; endSec: number }[] = [];

  constructor(
    readonly slots: number,
    readonly workSec: number,
  ) {}

  get count(): number {
    return this.running.length;
  }

  get free(): number {
    return Math.max(0, this.slots - this.running.length);
  }

  /** Starts `job` at `t`; it ends after `remaining` seconds (a whole job by default). */
  add(job: T, t: number, remaining = this.workSec): void {
    this.running.push({ job, endSec: t + Math.max(0, remaining) });
  }

  nextCompletion(): number | null {
    let next: number | null = null;
    for (const r of this.running) next = next === null ? r.endSec : Math.min(next, r.endSec);
    return next;
  }

  takeDone(t: number): T[] {
    const done: T[] = [];
    for (let i = 0; i < this.running.length; ) {
      if (this.running[i].endSec <= t + DONE_EPSILON * Math.max(1, this.workSec, t)) done.push(this.running.splice(i, 1)[0].job);
      else i++;
    }
    return done;
  }
}
