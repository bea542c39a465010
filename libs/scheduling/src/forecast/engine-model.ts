// The two service models the replay runs jobs on. Pure: every call passes the simulated time.

/** Work below this counts as done (floating-point dust, not work). */
const DONE_EPSILON = 1e-9;

/**
 * A GPU group's engine, as the scheduler measures it: busy seconds per finished job (`workSec`) at the granted
 * concurrency. Modelled as one server of that throughput shared equally by the jobs in it (processor sharing): while
 * n jobs run, each advances at 1/n, so a full engine finishes one job per `workSec`, exactly what was measured, and a
 * batch that starts together ends together, as on a batching engine. Jobs beyond the concurrency wait outside (the
 * workers never hold more than the grant's concurrency), so `add` is only called when there is room.
 */
export class SharedEngine<T> {
  private readonly running: { job: T; remaining: number }[] = [];
  private lastSec: number;

  constructor(
    readonly workSec: number,
    startSec: number,
  ) {
    this.lastSec = startSec;
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
    return this.lastSec + least * this.running.length;
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
      const progress = elapsed / this.running.length;
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
