import { describe, expect, it } from '@jest/globals';
import type { BusyInterval, ResidencyInterval } from './gpu-node.types.js';
import { findOverlaps } from './overlaps.js';

const busy = (model: string, group: string, start: number, end: number | null, epoch: number | null = 1): BusyInterval => ({
  model,
  group,
  start,
  end,
  epoch,
  cancelled: false,
});
const resident = (
  model: string,
  group: string,
  vramMb: number,
  loadStart: number,
  unloadedAt: number | null,
  freedAt: number | null = unloadedAt,
): ResidencyInterval => ({ model, group, vramMb, loadStart, loadedAt: loadStart + 8, unloadedAt, freedAt });

describe('findOverlaps', () => {
  it('is empty when the phases took turns', () => {
    const logs = {
      busy: [busy('whisper', 'stt', 8, 18), busy('mistral', 'extract', 30, 45)],
      residency: [resident('whisper', 'stt', 4500, 0, 20), resident('mistral', 'extract', 5100, 22, 50)],
    };
    expect(findOverlaps(logs, 8192)).toEqual([]);
  });

  it('finds a request that ran while another group was loading, and reports the overlapping span', () => {
    const logs = {
      busy: [busy('whisper', 'stt', 8, 18, 3)],
      residency: [resident('whisper', 'stt', 4500, 0, 20), resident('mistral', 'extract', 5100, 15, 40)],
    };
    expect(findOverlaps(logs, 8192)).toEqual([
      {
        start: 15,
        end: 18,
        busy: { model: 'whisper', group: 'stt', vramMb: 4500, epoch: 3 },
        resident: { model: 'mistral', group: 'extract', vramMb: 5100 },
        totalMb: 9600,
      },
    ]);
  });

  it('counts memory that is not yet freed after an unload, and open intervals as running on', () => {
    const logs = {
      busy: [busy('llama3', 'rate', 21, null)],
      residency: [resident('whisper', 'stt', 4500, 0, 20, 21.5), resident('llama3', 'rate', 5600, 13, null)],
    };
    expect(findOverlaps(logs, 8192).map((o) => [o.start, o.end])).toEqual([[21, 21.5]]);
  });

  it('ignores groups that fit beside each other, and a group beside itself', () => {
    const logs = {
      busy: [busy('whisper', 'stt', 8, 18), busy('mistral', 'extract', 9, 12)],
      residency: [resident('whisper', 'stt', 4500, 0, 30), resident('mistral', 'extract', 5100, 0, 30)],
    };
    expect(findOverlaps(logs, 24_576)).toEqual([]);
    expect(findOverlaps(logs, 8192)).toHaveLength(2);
  });

  it('refuses logs in which a model served a request without ever being loaded', () => {
    expect(() => findOverlaps({ busy: [busy('ghost', 'stt', 1, 2)], residency: [] }, 8192)).toThrow(/never loaded/);
  });
});
