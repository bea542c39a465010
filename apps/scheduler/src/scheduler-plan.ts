import { GROUP_STAGE, GROUPS, perGroup, perStage, STAGE_GROUP, type Group } from '@introeval/contracts';
import type { LeaseRecord, Measured, SchedulerReport } from '@introeval/lease';
import {
  FEEDERS,
  forecast,
  POLICIES,
  type AdaptiveSettings,
  type ForecastInput,
  type ForecastJob,
  type NodeView,
  type PolicyName,
} from '@introeval/scheduling';

/**
 * The scheduler does not measure the CPU stages (the status service has their workers' numbers); for the jobs on
 * their way to a group it assumes one media check a second, one at a time, well above the ~0.1 s an ffmpeg extraction
 * of a 45 s clip takes, so the plan errs towards a later switch rather than an early one.
 */
const UPSTREAM_SEC = 1;

/** What the plan is computed from: the view the policy just decided on, the lease, and the measurements. */
export interface PlanInput {
  node: string;
  /** Now, seconds since the epoch: a plan made during a switch is made later than its view. */
  nowSec: number;
  view: NodeView;
  lease: LeaseRecord;
  policy: { name: string; settings: AdaptiveSettings };
  groups: Record<Group, Measured>;
  switchSec: Measured;
}

/**
 * The phase the node switches to next and when, read off the forecast (the same replay the status service runs)
 * over this scheduler's own view of the node. The view has counts, not jobs, so the replay's jobs are built from
 * them: the oldest waiting job of each group at its real age and the rest as if just queued; jobs running on this
 * node as if just started (a whole job left); jobs on their way at one media check a second. Other nodes sharing the
 * queues are not in the view: with them the switch comes sooner.
 */
export function planFor(input: PlanInput): SchedulerReport['plan'] {
  if (!isPolicyName(input.policy.name)) return { next: null, atSec: null };
  const first = forecast(forecastInput(input, input.policy.name)).nodes.get(input.node)?.switches[0];
  return first ? { next: first.phase, atSec: first.atSec } : { next: null, atSec: null };
}

const isPolicyName = (name: string): name is PolicyName => (POLICIES as readonly string[]).includes(name);

function forecastInput({ node, nowSec: now, view, lease, policy, groups, switchSec }: PlanInput, name: PolicyName): ForecastInput {
  const jobs: ForecastJob[] = [];
  const add = (job: Omit<ForecastJob, 'id' | 'order'>) => jobs.push({ ...job, id: `plan-${jobs.length}`, order: jobs.length });
  for (const group of GROUPS) {
    const stage = GROUP_STAGE[group];
    const seen = view.groups[group];
    for (let i = 0; i < seen.waiting; i++) {
      const queuedAtSec = i === 0 && seen.oldestWaitSec !== null ? view.nowSec - seen.oldestWaitSec : now;
      add({ stage, state: 'waiting', queuedAtSec, startedAtSec: null });
    }
    for (let i = 0; i < seen.running; i++) add({ stage, state: 'running', queuedAtSec: now, startedAtSec: now, node });
    const feeder = FEEDERS[group][0];
    if (feeder !== undefined) for (let i = 0; i < seen.upstream; i++) add({ stage: feeder, state: 'waiting', queuedAtSec: now, startedAtSec: null });
  }
  return {
    nowSec: now,
    jobs,
    stages: perStage((stage) => {
      const group = STAGE_GROUP[stage];
      const measured = group === null ? null : groups[group];
      return {
        secPerJob: measured?.mean ?? UPSTREAM_SEC,
        spreadSec: measured?.spread ?? 0,
        concurrency: group === null ? 1 : view.groups[group].concurrency,
        samples: measured?.samples ?? 0,
        workers: 1,
      };
    }),
    nodes: [
      {
        name: node,
        budgetMb: view.budgetMb,
        lease: {
          phase: lease.phase,
          state: lease.state,
          sinceSec: Date.parse(lease.since) / 1000,
          next: lease.next?.phase ?? null,
          quota: lease.quota ?? null,
          concurrency: lease.concurrency ?? null,
          nextQuota: lease.next?.quota ?? null,
          nextConcurrency: lease.next?.concurrency ?? null,
        },
        switchSec: switchSec.mean,
        switchSpreadSec: switchSec.spread,
        groups: perGroup((g) => ({
          secPerJob: groups[g].mean,
          spreadSec: groups[g].spread,
          samples: groups[g].samples,
          concurrency: view.groups[g].concurrency,
          vramMb: view.groups[g].vramMb,
        })),
      },
    ],
    policy: { name, maxWaitSec: policy.settings.maxWaitSec, lingerSec: policy.settings.lingerSec },
  };
}
