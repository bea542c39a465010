import { describe, expect, it } from '@jest/globals';
import type { LeaseRecord } from '@introeval/lease';
import { SwitchTimer } from './switch-timer.js';

const record = (state: LeaseRecord['state'], since: string): LeaseRecord => ({ node: 'gpu-0', phase: ['stt'], state, epoch: 3, holder: 'me', since });

describe('SwitchTimer', () => {
  it('measures release + load (releasing to granted), not the drain, and knows when the switch began', () => {
    const timer = new SwitchTimer();
    expect(timer.releaseLoad.value).toBe(10); // the seed until a switch is measured
    timer.observe(record('draining', 'T0'), 1000);
    expect(timer.switchStartedAt).toBe('T0');
    timer.observe(record('releasing', 'T1'), 31_000); // a 30 s drain
    timer.observe(record('loading', 'T2'), 33_000);
    expect(timer.switchStartedAt).toBe('T0');
    timer.observe(record('granted', 'T3'), 39_000);
    expect(timer.releaseLoad.value).toBeCloseTo(8);
    expect(timer.releaseLoad.samples).toBe(1);
    expect(timer.switchStartedAt).toBeNull();
  });

  it('does not measure a switch it did not see release (resumed after a takeover while loading)', () => {
    const timer = new SwitchTimer();
    timer.observe(record('loading', 'T5'), 0);
    expect(timer.switchStartedAt).toBe('T5');
    timer.observe(record('granted', 'T6'), 2000);
    expect(timer.releaseLoad.samples).toBe(0);
  });
});
