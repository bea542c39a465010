import { describe, expect, it } from '@jest/globals';
import { OrphanedMessages } from './orphaned-messages.js';

describe('OrphanedMessages', () => {
  it('counts unacknowledged messages no live worker holds, once the gap has lasted the grace period', () => {
    const orphans = new OrphanedMessages(1000);
    expect(orphans.count('stt', 3, 1, 10_000)).toBe(0);
    expect(orphans.count('stt', 3, 1, 10_999)).toBe(0);
    expect(orphans.count('stt', 3, 1, 11_000)).toBe(2);
    // The gap may change size while it lasts.
    expect(orphans.count('stt', 4, 1, 11_500)).toBe(3);
  });

  it('forgets a gap that closed (a report that trailed its pull), and starts the grace again', () => {
    const orphans = new OrphanedMessages(1000);
    expect(orphans.count('rate', 1, 0, 0)).toBe(0);
    expect(orphans.count('rate', 1, 1, 20)).toBe(0);
    expect(orphans.count('rate', 1, 0, 1500)).toBe(0);
    expect(orphans.count('rate', 1, 0, 2500)).toBe(1);
  });

  it('never counts more held than unacked as negative, and keeps groups apart', () => {
    const orphans = new OrphanedMessages(0);
    expect(orphans.count('extract', 1, 4, 0)).toBe(0);
    expect(orphans.count('stt', 2, 0, 0)).toBe(2);
    expect(orphans.count('extract', 0, 0, 0)).toBe(0);
  });
});
