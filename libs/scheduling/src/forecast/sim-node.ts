import { GROUPS, perGroup, type Group, type LeaseState } from '@introeval/contracts';
import type { Decision, NodeView, PhasePolicy } from '../policy/policy.types.js';
import { SharedEngine, throughputGain } from './engine-model.js';
import type { ForecastNode } from './forecast.types.js';
import type { SimJob } from './sim-job.js';

/** Moments closer than this share of the clock are one (floating-point rounding, not time). */
const SAME_MOMENT = 1e-9;

/** A job that is overdue is taken to be this share of a job from its end: due any moment, but not done. */
export const OVERDUE_SHARE = 0.1;

/** The seconds one replay uses for a node: per job of each group, and per switch (release + load). */
export interface NodeTimes {
  groupSec: Record<Group, number>;
  switchSec: number;
}

/** A grant a switch is heading for. */
export interface Grant {
  phase: Group[];
  quota: number | null;
  concurrency: Partial<Record<Group, number>>;
}

/** One switch of the replay: when it starts, what it grants, and when the replay grants it (NaN until then). */
export interface SimSwitch {
  atSec: number;
  phase: Group[];
  grantAtSec: number;
}

/** The grants a node holds in the replay, in time order (for "this job waited for that switch"). */
export interface SimGrant {
  grantedAtSec: number;
  phase: Group[];
  switch: SimSwitch | null;
}

/**
 * One GPU node in a replay: its lease as the replay moves it (draining waits for the node's running jobs of the
 * phase, then release + load take the measured switch time), an engine per group, and its own policy instance, asked
 * with a NodeView built the way NodeScheduler builds one from the real queues.
 */
export class SimNode {
  readonly name: string;
  phase: Group[];
  state: LeaseState;
  sinceSec: number;
  quota: number | null;
  concurrency: Partial<Record<Group, number>>;
  next: Grant | null = null;
  switchEndsAt: number | null = null;
  startedInEpoch: Record<Group, number> = perGroup(() => 0);
  /** When the phase went idle with work waiting elsewhere and the policy stayed (it may be lingering). */
  lingerFrom: number | null = null;
  readonly engines: Record<Group, SharedEngine<SimJob>>;
  readonly switches: SimSwitch[] = [];
  readonly grants: SimGrant[] = [];

  constructor(
    readonly spec: ForecastNode,
    readonly policy: PhasePolicy,
    readonly times: NodeTimes,
    nowSec: number,
  ) {
    const { lease } = spec;
    this.name = spec.name;
    this.phase = lease.state === 'idle' ? [] : [...lease.phase];
    this.state = lease.state;
    this.sinceSec = lease.sinceSec;
    this.quota = lease.quota;
    this.concurrency = { ...(lease.concurrency ?? {}) };
    // The measured time is per job with the engine full; a job alone takes gainAtMax times as long.
    this.engines = perGroup((g) => {
      const { concurrency, gainAtMax = 1 } = spec.groups[g];
      return new SharedEngine<SimJob>(times.groupSec[g] * gainAtMax, nowSec, (n) => throughputGain(n, concurrency, gainAtMax));
    });
    if (lease.state === 'granted' || lease.state === 'idle') {
      this.grants.push({ grantedAtSec: lease.sinceSec, phase: this.phase, switch: null });
      policy.resume?.({ phase: this.phase, quota: this.quota });
      return;
    }
    // A switch under way: it carries on to the lease's `next` (or, lacking one, back to the same phase).
    this.next = { phase: [...(lease.next ?? lease.phase)], quota: lease.nextQuota ?? null, concurrency: { ...(lease.nextConcurrency ?? {}) } };
    this.grants.push({ grantedAtSec: -Infinity, phase: this.phase, switch: null });
    this.switches.push({ atSec: lease.sinceSec, phase: this.next.phase, grantAtSec: NaN });
    policy.resume?.({ phase: this.next.phase, quota: this.next.quota });
    if (lease.state !== 'draining') {
      // Releasing or loading since `sinceSec`: what is left of the measured release + load (the loading share of it
      // is not measured apart, so a switch caught loading is given the whole switch time from its state's start).
      const left = this.times.switchSec - (nowSec - lease.sinceSec);
      this.switchEndsAt = nowSec + Math.max(left, OVERDUE_SHARE * this.times.switchSec);
    }
  }

  /** The grant's concurrency for `group`, else the engine's own. */
  concurrencyOf(group: Group): number {
    return Math.max(1, this.concurrency[group] ?? this.spec.groups[group].concurrency);
  }

  /** Whether a worker of `group` on this node may start one more job now. */
  canStart(group: Group): boolean {
    if (this.state !== 'granted' || !this.phase.includes(group)) return false;
    if (this.engines[group].count >= this.concurrencyOf(group)) return false;
    return this.quota === null || this.startedInEpoch[group] < this.quota;
  }

  /** Draining ends when nothing of the phase runs here any more; then release + load begin. */
  endDrain(t: number): boolean {
    if (this.state !== 'draining' || this.phase.some((g) => this.engines[g].count > 0)) return false;
    this.state = 'releasing';
    this.sinceSec = t;
    this.switchEndsAt = t + this.times.switchSec;
    return true;
  }

  /** Grants the switch's target once release + load are over: epoch + 1, quota counted afresh. */
  endSwitch(t: number): boolean {
    if (this.switchEndsAt === null || t < this.switchEndsAt - SAME_MOMENT * Math.max(1, t) || this.next === null) return false;
    const next = this.next;
    this.phase = next.phase;
    this.quota = next.quota;
    this.concurrency = next.concurrency;
    this.state = 'granted';
    this.sinceSec = t;
    this.next = null;
    this.switchEndsAt = null;
    this.startedInEpoch = perGroup(() => 0);
    const last = this.switches[this.switches.length - 1] ?? null;
    if (last) last.grantAtSec = t;
    this.grants.push({ grantedAtSec: t, phase: next.phase, switch: last });
    return true;
  }

  /** Asks the policy, as the scheduler does on a tick; a switch starts its drain now. True when it switched. */
  decide(view: NodeView): boolean {
    if (this.state !== 'granted' && this.state !== 'idle') return false;
    const decision: Decision = this.policy.decide(view);
    if (decision.kind !== 'switch') return false;
    this.next = { phase: [...decision.phase], quota: decision.quota ?? null, concurrency: { ...(decision.concurrency ?? {}) } };
    this.state = 'draining';
    this.sinceSec = view.nowSec;
    this.lingerFrom = null;
    this.switches.push({ atSec: view.nowSec, phase: this.next.phase, grantAtSec: NaN });
    return true;
  }

  /** The grant in force at `t`. */
  grantAt(t: number): SimGrant {
    let found = this.grants[0];
    for (const grant of this.grants) if (grant.grantedAtSec <= t + SAME_MOMENT * Math.max(1, Math.abs(t))) found = grant;
    return found;
  }

  /** Groups this node runs jobs of, in stage order (for a fair, deterministic start order). */
  startableGroups(): Group[] {
    return GROUPS.filter((g) => this.canStart(g));
  }
}
