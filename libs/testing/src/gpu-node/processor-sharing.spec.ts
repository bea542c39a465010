import { describe, expect, it } from '@jest/globals';
import { perRequestRate, ProcessorSharingQueue, throughputGain } from './processor-sharing.js';

/** Drives a queue to the end, completing at each predicted time; returns every job's [start, end]. */
function runToEnd<T>(queue: ProcessorSharingQueue<T>, ends: Map<T, [number, number]>): void {
  for (let next = queue.nextCompletion(); next !== null; next = queue.nextCompletion()) {
    for (const job of queue.completeDue(next).finished) ends.set(job.payload, [job.startedAt!, next]);
  }
}

describe('throughputGain / perRequestRate', () => {
  it('grows linearly from 1 at one request to gainAtMax at maxConcurrency, and no further', () => {
    expect(throughputGain(1, 8, 3.5)).toBe(1);
    expect(throughputGain(8, 8, 3.5)).toBeCloseTo(3.5, 12);
    expect(throughputGain(4, 8, 3.5)).toBeCloseTo(1 + (2.5 * 3) / 7, 12);
    expect(throughputGain(12, 8, 3.5)).toBeCloseTo(3.5, 12);
    expect(throughputGain(3, 1, 1)).toBe(1);
  });

  it('shares the throughput between the requests in service', () => {
    expect(perRequestRate(1, 4, 2.2)).toBe(1);
    expect(perRequestRate(4, 4, 2.2)).toBeCloseTo(2.2 / 4, 12);
    expect(perRequestRate(0, 4, 2.2)).toBe(0);
  });
});

describe('ProcessorSharingQueue', () => {
  it('serves nothing until the model is open, then starts up to maxConcurrency at that instant', () => {
    const queue = new ProcessorSharingQueue<string>({ serviceSec: 10, maxConcurrency: 2, gainAtMax: 1.5 });
    expect(queue.arrive('a', 0).started).toEqual([]);
    queue.arrive('b', 1);
    queue.arrive('c', 2);
    expect(queue.nextCompletion()).toBeNull();
    expect(queue.openAt(8).map((j) => j.payload)).toEqual(['a', 'b']);
    // Two in service at gain 1.5: each runs at 0.75, so 10 s of work takes 13.33 s.
    expect(queue.nextCompletion()).toBeCloseTo(8 + 10 / 0.75, 9);
  });

  it('recomputes rates on every arrival: a second request slows the first (gain 1 = pure sharing)', () => {
    const queue = new ProcessorSharingQueue<string>({ serviceSec: 10, maxConcurrency: 2, gainAtMax: 1 });
    queue.openAt(0);
    queue.arrive('a', 0);
    queue.arrive('b', 4); // a has 6 s of work left; both now run at 0.5
    const ends = new Map<string, [number, number]>();
    runToEnd(queue, ends);
    expect(ends.get('a')![1]).toBeCloseTo(16, 9);
    // b: 6 s of work done by 16, the last 4 s alone at full speed. Total work 20 s at throughput 1 ends at 20.
    expect(ends.get('b')![1]).toBeCloseTo(20, 9);
  });

  it('runs a full batch faster in total but each request slower, as batching does', () => {
    const queue = new ProcessorSharingQueue<number>({ serviceSec: 10, maxConcurrency: 8, gainAtMax: 3.5 });
    for (let i = 0; i < 8; i++) queue.arrive(i, 0);
    queue.openAt(0);
    const ends = new Map<number, [number, number]>();
    runToEnd(queue, ends);
    for (let i = 0; i < 8; i++) expect(ends.get(i)).toEqual([0, expect.closeTo((10 * 8) / 3.5, 9)]);
  });

  it('queues beyond maxConcurrency in FIFO order, each starting when a slot frees', () => {
    const queue = new ProcessorSharingQueue<string>({ serviceSec: 5, maxConcurrency: 1, gainAtMax: 1 });
    queue.openAt(0);
    for (const [name, t] of [['a', 0], ['b', 1], ['c', 2]] as const) queue.arrive(name, t);
    expect(queue.waitingCount).toBe(2);
    const ends = new Map<string, [number, number]>();
    runToEnd(queue, ends);
    expect(ends.get('a')).toEqual([0, 5]);
    expect(ends.get('b')).toEqual([5, 10]);
    expect(ends.get('c')).toEqual([10, 15]);
  });

  it('gives a cancelled request slot to the next in line, and forgets a cancelled waiter', () => {
    const queue = new ProcessorSharingQueue<string>({ serviceSec: 5, maxConcurrency: 1, gainAtMax: 1 });
    queue.openAt(0);
    const a = queue.arrive('a', 0).job;
    const b = queue.arrive('b', 0).job;
    queue.arrive('c', 0);
    expect(queue.cancel(b, 1)).toEqual([]); // waiting: nothing starts
    expect(queue.cancel(a, 2).map((j) => j.payload)).toEqual(['c']);
    expect(queue.nextCompletion()).toBe(7);
    expect(queue.size).toBe(1);
  });
});
