import { GROUP_STAGE, perGroup, STAGE_GROUP, STAGES, type Group, type Stage } from '@introeval/contracts';

/**
 * The stages before each group's own that run ungated (on the CPU, upload today): their jobs reach the group without
 * a GPU node's say, so the policy sees them coming (`GroupView.upstream`). Stages behind another group are fed by a
 * group the node gates. The scheduler and the forecast both count `upstream` over these.
 */
export const FEEDERS: Readonly<Record<Group, readonly Stage[]>> = perGroup((group) => {
  const feeders: Stage[] = [];
  for (let i = STAGES.indexOf(GROUP_STAGE[group]) - 1; i >= 0 && STAGE_GROUP[STAGES[i]] === null; i--) feeders.push(STAGES[i]);
  return feeders;
});
