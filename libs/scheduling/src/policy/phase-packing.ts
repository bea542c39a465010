import { GROUPS, type Group } from '@introeval/contracts';
import type { NodeView } from './policy.types.js';

/**
 * The phase to grant when `lead` must run: `lead` plus every other group that fits beside it in the node's VRAM,
 * those already resident first (no load to pay), then those with work waiting. On a card where all groups fit,
 * this is always every group, so the node never switches.
 */
export function phaseFor(view: NodeView, lead: Group): Group[] {
  const phase: Group[] = [lead];
  let used = view.groups[lead].vramMb;
  const rank = (g: Group) => (view.phase.includes(g) ? 0 : view.groups[g].waiting > 0 ? 1 : 2);
  const others = GROUPS.filter((g) => g !== lead).sort((a, b) => rank(a) - rank(b));
  for (const group of others) {
    if (used + view.groups[group].vramMb > view.budgetMb) continue;
    phase.push(group);
    used += view.groups[group].vramMb;
  }
  return phase.sort((a, b) => GROUPS.indexOf(a) - GROUPS.indexOf(b));
}

/** True when the groups' footprints fit the node's budget together. */
export function fits(view: NodeView, groups: readonly Group[]): boolean {
  return groups.reduce((sum, g) => sum + view.groups[g].vramMb, 0) <= view.budgetMb;
}

export function samePhase(a: readonly Group[], b: readonly Group[]): boolean {
  return a.length === b.length && a.every((g) => b.includes(g));
}

/** The current phase holds no queued work, and nothing runs under it on this node. */
export function phaseIdle(view: NodeView): boolean {
  return view.phase.every((g) => view.groups[g].waiting === 0 && view.groups[g].running === 0);
}

/** The current grant has started its quota (or has nothing more to start), and what it started has finished. */
export function quotaDone(view: NodeView): boolean {
  const started = view.phase.reduce((sum, g) => sum + view.groups[g].startedInEpoch, 0);
  const running = view.phase.reduce((sum, g) => sum + view.groups[g].running, 0);
  const waiting = view.phase.reduce((sum, g) => sum + view.groups[g].waiting, 0);
  const exhausted = view.quota !== null && started >= view.quota;
  return running === 0 && (exhausted || waiting === 0);
}
