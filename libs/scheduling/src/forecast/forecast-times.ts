import { GROUPS, perGroup, perStage, STAGES } from '@introeval/contracts';
import type { ForecastInput, ServiceTime } from './forecast.types.js';
import type { ReplayTimes } from './replay.js';

/**
 * The least spread the range assumes, as a share of the mean. Below it a range would claim more than the model can
 * know: with no spread measured yet (fewer than two samples) or a suspiciously steady one, the range is ±10 %.
 */
export const RANGE_FLOOR = 0.1;

/** Which replay: the measured means, or every time at the fast or the slow end of its spread. */
export type Variant = 'mean' | 'low' | 'high';

/** The spread a range uses for one measured time. */
export function spreadOf(mean: number, spread: number): number {
  return Math.max(spread, RANGE_FLOOR * mean);
}

/** One time in a variant: mean ± spread, and never a negative time. */
export function timeIn(variant: Variant, mean: number, spread: number): number {
  if (variant === 'mean') return mean;
  const delta = spreadOf(mean, spread);
  return variant === 'low' ? Math.max(0, mean - delta) : mean + delta;
}

const pick = (variant: Variant, service: ServiceTime) => timeIn(variant, service.secPerJob, service.spreadSec);

/** The times a replay of `variant` runs with. */
export function replayTimes(input: ForecastInput, variant: Variant): ReplayTimes {
  return {
    nodes: Object.fromEntries(
      input.nodes.map((node) => [
        node.name,
        {
          groupSec: perGroup((g) => pick(variant, node.groups[g])),
          switchSec: timeIn(variant, node.switchSec, node.switchSpreadSec),
        },
      ]),
    ),
    stageSec: perStage((stage) => pick(variant, input.stages[stage])),
  };
}

/** True when some time the replays use has no spread measured (or less than the floor), so ±10 % stands in. */
export function usesFloor(input: ForecastInput): boolean {
  const below = (mean: number, spread: number) => spread < RANGE_FLOOR * mean;
  if (input.nodes.length === 0) return STAGES.some((s) => below(input.stages[s].secPerJob, input.stages[s].spreadSec));
  return input.nodes.some(
    (n) => below(n.switchSec, n.switchSpreadSec) || GROUPS.some((g) => below(n.groups[g].secPerJob, n.groups[g].spreadSec)),
  );
}
