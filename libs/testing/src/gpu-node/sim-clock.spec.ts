import { describe, expect, it } from '@jest/globals';
import { eventually } from '../eventually.js';
import { SimClock } from './sim-clock.js';

describe('SimClock', () => {
  it('runs events in time order at their exact simulated times, however late the real timer fires', async () => {
    const clock = new SimClock(10_000); // 10 000 simulated seconds per real second
    const seen: Array<[string, number]> = [];
    clock.at(30, () => seen.push(['c', clock.now()]));
    clock.at(10, () => {
      seen.push(['a', clock.now()]);
      clock.at(clock.now() + 5, () => seen.push(['b', clock.now()])); // scheduled from inside an event
    });
    clock.at(20, () => seen.push(['cancelled', clock.now()])).cancel();
    await eventually(() => seen.length === 3, { what: 'three events' });
    expect(seen).toEqual([
      ['a', 10],
      ['b', 15],
      ['c', 30],
    ]);
    expect(clock.now()).toBeGreaterThanOrEqual(30);
    clock.close();
  });

  it('runs due events before anything external is applied (advance)', () => {
    const clock = new SimClock(1);
    let ran = false;
    clock.at(0, () => (ran = true));
    clock.advance();
    expect(ran).toBe(true);
    clock.close();
  });
});
