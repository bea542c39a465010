/** One measured quantity: a moving average, its spread, and how many measurements it rests on. */
export interface Measured {
  /** Seconds. */
  mean: number;
  /** One standard deviation, seconds (0 until there are two measurements). */
  spread: number;
  /** 0: `mean` is still the starting estimate. */
  samples: number;
}

/**
 * An exponentially weighted moving average that starts from a configured estimate until it has measurements, with an
 * exponentially weighted variance beside it (the same weight), so a forecast can say how much one measurement
 * varies: the ETA's range comes from `spread`.
 */
export class MovingAverage {
  private current: number;
  private variance = 0;
  private count = 0;

  constructor(
    initial: number,
    /** Weight of each new sample (0..1]. */
    private readonly alpha = 0.3,
  ) {
    this.current = initial;
  }

  add(sample: number): void {
    if (!Number.isFinite(sample) || sample < 0) return;
    if (this.count === 0) {
      // The configured estimate is a guess, not a measurement: the first sample replaces it and has no spread yet.
      this.current = sample;
    } else {
      // The incremental EWMA variance (West 1979): it weighs squared deviations as the mean weighs samples.
      const diff = sample - this.current;
      const step = this.alpha * diff;
      this.current += step;
      this.variance = (1 - this.alpha) * (this.variance + diff * step);
    }
    this.count++;
  }

  get value(): number {
    return this.current;
  }

  /** One standard deviation of the samples around the average, weighted alike; 0 until there are two samples. */
  get spread(): number {
    return Math.sqrt(this.variance);
  }

  /** How many samples it rests on (0: `value` is still the configured estimate). */
  get samples(): number {
    return this.count;
  }

  get measured(): boolean {
    return this.count > 0;
  }

  /** The three numbers as one value, for a report or a heartbeat. */
  snapshot(): Measured {
    return { mean: this.current, spread: this.spread, samples: this.count };
  }
}
