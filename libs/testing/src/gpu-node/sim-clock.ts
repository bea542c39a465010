import { performance } from 'node:perf_hooks';

/** A scheduled simulation event; `cancel()` is safe to call more than once or after it ran. */
export interface SimEvent {
  readonly time: number;
  cancel(): void;
}

interface Entry {
  time: number;
  run: () => void;
  cancelled: boolean;
}

/**
 * Simulated time for the stand-in: wall-clock time multiplied by `timeScale`, plus a discrete-event queue.
 * Events run at their EXACT scheduled time, whenever the real timer happens to fire: before anything from the
 * outside (an HTTP request, a disconnect) is applied, `advance()` runs every event that is due, in time order,
 * with `now()` pinned to each event's time. So service, load and expiry times in the logs come from the model,
 * not from timer jitter, and two runs of the same request pattern log the same durations.
 */
export class SimClock {
  private readonly startedAt = performance.now();
  private readonly queue: Entry[] = [];
  private timer: NodeJS.Timeout | null = null;
  /** While an event runs, the time is pinned to its scheduled time. */
  private pinned: number | null = null;
  /** Held by advance() until the current synchronous work is done. */
  private frozen: number | null = null;
  private thawQueued = false;
  /** The wall clock's reading never goes backwards. */
  private last = 0;
  private closed = false;

  constructor(readonly timeScale: number) {
    if (!(timeScale > 0)) throw new Error(`timeScale must be > 0, got ${timeScale}`);
  }

  /** Simulated seconds since the clock started. */
  now(): number {
    return this.pinned ?? this.frozen ?? this.wallNow();
  }

  /** Runs `run` at simulated time `time` (or as soon as possible when that is already past). */
  at(time: number, run: () => void): SimEvent {
    const entry: Entry = { time, run, cancelled: false };
    let i = this.queue.length;
    while (i > 0 && this.queue[i - 1].time > time) i--; // after equal times: same-time events run in order
    this.queue.splice(i, 0, entry);
    this.arm();
    return {
      time,
      cancel: () => {
        entry.cancelled = true;
      },
    };
  }

  /**
   * Runs every event that is due by the wall clock, in time order, then holds the time there until the current
   * synchronous work is done: an external action (advance, then act) happens at one instant, after every event
   * before it and before every event after it. Call it before applying anything external.
   */
  advance(): void {
    const until = this.wallNow();
    for (;;) {
      const next = this.queue[0];
      if (!next || next.time > until) break;
      this.queue.shift();
      if (next.cancelled) continue;
      this.pinned = next.time;
      try {
        next.run();
      } finally {
        this.pinned = null;
      }
    }
    this.frozen = until;
    if (!this.thawQueued) {
      this.thawQueued = true;
      queueMicrotask(() => {
        this.frozen = null;
        this.thawQueued = false;
      });
    }
    this.arm();
  }

  /** Stops the timer; events still queued never run. */
  close(): void {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.queue.length = 0;
  }

  private wallNow(): number {
    const wall = ((performance.now() - this.startedAt) / 1000) * this.timeScale;
    this.last = Math.max(this.last, wall);
    return this.last;
  }

  private arm(): void {
    if (this.pinned !== null) return; // advance() re-arms when the running event returns
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    while (this.queue[0]?.cancelled) this.queue.shift();
    const next = this.queue[0];
    if (!next || this.closed) return;
    const delayMs = Math.max(0, ((next.time - this.wallNow()) / this.timeScale) * 1000);
    // Math.ceil: a timer that fires a hair early would find nothing due and spin.
    this.timer = setTimeout(() => this.advance(), Math.ceil(delayMs));
    this.timer.unref();
  }
}
