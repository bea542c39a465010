import { describe, expect, it } from '@jest/globals';
import { MovingAverage } from './moving-average.js';

describe('MovingAverage', () => {
  it('reports the configured estimate until the first measurement, which then replaces it', () => {
    const average = new MovingAverage(10);
    expect(average.value).toBe(10);
    expect(average.measured).toBe(false);
    average.add(4);
    expect(average.value).toBe(4);
    expect(average.measured).toBe(true);
  });

  it('weighs each later sample by alpha', () => {
    const average = new MovingAverage(10, 0.5);
    average.add(4);
    average.add(8);
    expect(average.value).toBeCloseTo(6);
    average.add(2);
    expect(average.value).toBeCloseTo(4);

    const slow = new MovingAverage(0); // default alpha 0.3
    slow.add(10);
    slow.add(20);
    expect(slow.value).toBeCloseTo(13);
  });

  it('ignores samples that are not a duration: negative, NaN, infinite', () => {
    const average = new MovingAverage(5);
    for (const bad of [-1, Number.NaN, Number.POSITIVE_INFINITY]) average.add(bad);
    expect(average.value).toBe(5);
    expect(average.measured).toBe(false);
    average.add(0);
    expect(average.value).toBe(0);
    expect(average.measured).toBe(true);
  });

  it('measures the spread as an exponentially weighted standard deviation, zero until a second sample', () => {
    const average = new MovingAverage(10, 0.5);
    expect(average.spread).toBe(0);
    average.add(4);
    expect(average.spread).toBe(0);
    expect(average.samples).toBe(1);
    // diff 4, step 2: mean 6, variance 0.5 * (0 + 4 * 2) = 4, spread 2.
    average.add(8);
    expect(average.value).toBeCloseTo(6);
    expect(average.spread).toBeCloseTo(2);
    // diff -4, step -2: mean 4, variance 0.5 * (4 + 8) = 6.
    average.add(2);
    expect(average.spread).toBeCloseTo(Math.sqrt(6));
    expect(average.samples).toBe(3);
  });

  it('has no spread for samples that do not vary', () => {
    const average = new MovingAverage(1);
    for (let i = 0; i < 5; i++) average.add(3);
    expect(average.value).toBe(3);
    expect(average.spread).toBe(0);
  });
});
