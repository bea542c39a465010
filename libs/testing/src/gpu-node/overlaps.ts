import type { BusyInterval, GpuNodeHandle, ResidencyInterval } from './gpu-node.types.js';

/** The two logs the invariant is checked on (a handle, or hand-built logs in a unit test). */
export interface GpuNodeLogs {
  busy: BusyInterval[];
  residency: ResidencyInterval[];
}

/** A span in which a request of one group ran while another group's model held memory it could not share. */
export interface Overlap {
  start: number;
  end: number;
  busy: { model: string; group: string; vramMb: number; epoch: number | null };
  resident: { model: string; group: string; vramMb: number };
  totalMb: number;
}

/**
 * Every violation of the phase invariant (DESIGN.md, rule 4): a request of one group running while a model of
 * ANOTHER group was loading, resident, or not yet freed after its unload, where the two footprints exceed
 * `budgetMb`. Open intervals (still running, still resident) count as running to infinity. Empty = invariant held.
 */
export function findOverlaps(source: GpuNodeHandle | GpuNodeLogs, budgetMb: number): Overlap[] {
  const logs = 'busyIntervals' in source ? { busy: source.busyIntervals(), residency: source.residency() } : source;
  const overlaps: Overlap[] = [];
  for (const b of logs.busy) {
    const busyEnd = b.end ?? Infinity;
    const footprint = footprintOf(b, logs.residency);
    for (const r of logs.residency) {
      if (r.group === b.group) continue;
      const residentEnd = r.freedAt ?? r.unloadedAt ?? Infinity;
      const start = Math.max(b.start, r.loadStart);
      const end = Math.min(busyEnd, residentEnd);
      if (end <= start || footprint + r.vramMb <= budgetMb) continue;
      overlaps.push({
        start,
        end,
        busy: { model: b.model, group: b.group, vramMb: footprint, epoch: b.epoch },
        resident: { model: r.model, group: r.group, vramMb: r.vramMb },
        totalMb: footprint + r.vramMb,
      });
    }
  }
  return overlaps.sort((x, y) => x.start - y.start || x.end - y.end);
}

/** A request's footprint is its model's: the load that was resident when the request started. */
function footprintOf(b: BusyInterval, residency: ResidencyInterval[]): number {
  const own = residency.filter((r) => r.model === b.model);
  const serving = own.find((r) => r.loadStart <= b.start && (r.unloadedAt ?? Infinity) >= b.start);
  const any = serving ?? own[0];
  if (!any) throw new Error(`findOverlaps: ${b.model} served a request at ${b.start} but was never loaded`);
  return any.vramMb;
}
