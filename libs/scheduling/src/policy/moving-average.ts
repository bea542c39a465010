/** An exponentially weighted moving average that starts from a configured estimate until it has measurements. */
export class MovingAverage {
  private current: number;
  private samples = 0;

  constructor(
    initial: number,
    /** Weight of each new sample (0..1]. */
    private readonly alpha = 0.3,
  ) {
    this.current = initial;
  }

  add(sample: number): void {
    if (!Number.isFinite(sample) || sample < 0) return;
    this.current = this.samples === 0 ? sample : this.alpha * sample + (1 - this.alpha) * this.current;
    this.samples++;
  }

  get value(): number {
    return this.current;
  }

  get measured(): boolean {
    return this.samples > 0;
  }
}
