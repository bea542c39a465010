// Hand-built scheduler views for the policy specs (not part of the build).
import { GROUPS, type Group } from '@introeval/contracts';
import type { GroupView, NodeView } from './policy.types.js';

/** The lab's footprints on an 8 GB card: no two groups fit together. */
export const LAB_VRAM_MB: Record<Group, number> = { stt: 4500, extract: 5100, rate: 5600 };

/** One group with nothing queued, nothing running, unless `fields` says otherwise. */
export function groupView(group: Group, fields: Partial<GroupView> = {}): GroupView {
  return {
    group,
    vramMb: LAB_VRAM_MB[group],
    concurrency: 1,
    serviceSec: 10,
    waiting: 0,
    running: 0,
    startedInEpoch: 0,
    oldestWaitSec: null,
    upstream: 0,
    ...fields,
  };
}

export interface ViewFields extends Partial<Omit<NodeView, 'groups'>> {
  groups?: Partial<Record<Group, Partial<GroupView>>>;
}

/**
 * A node view: by default an 8 GB node granted to `stt` at t = 1000 s, every queue empty, switches measured at 10 s.
 * `waiting` without `oldestWaitSec` gets an oldest wait of 1 s, as the scheduler would report a fresh queue.
 */
export function nodeView(fields: ViewFields = {}): NodeView {
  const { groups = {}, ...node } = fields;
  const built = Object.fromEntries(
    GROUPS.map((g) => {
      const given = groups[g] ?? {};
      const oldest = given.oldestWaitSec !== undefined ? given.oldestWaitSec : (given.waiting ?? 0) > 0 ? 1 : null;
      return [g, groupView(g, { ...given, oldestWaitSec: oldest })];
    }),
  ) as Record<Group, GroupView>;
  return {
    nowSec: 1000,
    phase: ['stt'],
    state: 'granted',
    quota: null,
    sinceSec: 990,
    budgetMb: 8192,
    switchSec: 10,
    groups: built,
    ...node,
  };
}
