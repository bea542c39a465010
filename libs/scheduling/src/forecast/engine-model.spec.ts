import { describe, expect, it } from '@jest/globals';
import { perJobWhenFull, throughputGain } from './engine-model.js';

describe('the batching engine model', () => {
  it('gains linearly from 1 alone to gainAtMax at the concurrency, and no more beyond it', () => {
    // Whisper at batch 8, 3.5x: each extra job adds 2.5 / 7 of a job's throughput.
    expect(throughputGain(1, 8, 3.5)).toBe(1);
    expect(throughputGain(8, 8, 3.5)).toBeCloseTo(3.5);
    expect(throughputGain(4.5, 8, 3.5)).toBeCloseTo(2.25);
    expect(throughputGain(20, 8, 3.5)).toBeCloseTo(3.5);
    // One slot, or no gain: concurrency buys nothing.
    expect(throughputGain(4, 1, 3)).toBe(1);
    expect(throughputGain(4, 4, 1)).toBe(1);
  });

  it('turns a busy time per job measured at any load into the time per job with the engine full', () => {
    // Alone a job takes 10 s; full (8 at 3.5x) one finishes every 10 / 3.5 = 2.857 s.
    expect(perJobWhenFull(10, 1, 8, 3.5)).toBeCloseTo(10 / 3.5);
    expect(perJobWhenFull(10 / 3.5, 8, 8, 3.5)).toBeCloseTo(10 / 3.5);
    // 4.5 on average: throughput 2.25 / 10 s, i.e. 4.444 s per job measured; full, the same 2.857 s.
    expect(perJobWhenFull(10 / 2.25, 4.5, 8, 3.5)).toBeCloseTo(10 / 3.5);
    // Without a gain the measurement is taken as it is.
    expect(perJobWhenFull(6, 1, 4, 1)).toBe(6);
  });
});
