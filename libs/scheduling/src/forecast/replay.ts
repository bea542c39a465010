import { GROUP_STAGE, GROUPS, NEXT_STAGE, perStage, STAGE_GROUP, STAGES, type Group, type Stage } from '@introeval/contracts';
import { FEEDERS } from '../policy/feeders.js';
import { createPolicy } from '../policy/index.js';
import type { GroupView, NodeView } from '../policy/policy.types.js';
import { SlotPool } from './engine-model.js';
import type { ForecastInput } from './forecast.types.js';
import type { SimJob } from './sim-job.js';
import { OVERDUE_SHARE, SimNode, type NodeTimes } from './sim-node.js';

/** The seconds one replay uses (the mean, or the fast or slow end of the measured spread). */
export interface ReplayTimes {
  nodes: Record<string, NodeTimes>;
  /** Per job in one slot of each ungated stage. */
  stageSec: Record<Stage, number>;
}

/** Events closer than this (seconds) are one moment: rounding must not make an extra step of the replay. */
const SAME_MOMENT = 1e-9;
/** Rounds of "something changed, look again" at one moment; each changes at least one thing, so few are needed. */
const SETTLE_ROUNDS = 64;

/**
 * One deterministic replay of the system forward from `input.nowSec`: the waiting jobs in their queues' order, the
 * running ones partly done, the ungated stages as slots, and every GPU node with its lease and its own instance of
 * the scheduler's policy. Time jumps from event to event (a job or a switch ends, a linger or max-wait deadline
 * falls due); at each, finished jobs move on through the stage table, switches progress, free capacity takes the
 * next jobs, and every node's policy is asked with a NodeView of the simulated state. Nothing is polled.
 */
export class Replay {
  readonly jobs = new Map<string, SimJob>();
  readonly nodes: SimNode[];
  private t: number;
  private readonly queues: Record<Stage, SimJob[]> = perStage(() => []);
  private readonly pools: Partial<Record<Stage, SlotPool<SimJob>>> = {};
  private readonly starts: Record<Stage, number> = perStage(() => 0);
  private nextOrder = 0;
  private left = 0;

  constructor(
    private readonly input: ForecastInput,
    times: ReplayTimes,
  ) {
    this.t = input.nowSec;
    const settings = { maxWaitSec: input.policy.maxWaitSec, lingerSec: input.policy.lingerSec };
    this.nodes = input.nodes.map((spec) => new SimNode(spec, createPolicy(input.policy.name, settings), times.nodes[spec.name], input.nowSec));
    for (const stage of STAGES) {
      if (this.gated(stage)) continue;
      const service = input.stages[stage];
      const slots = service.workers > 0 ? Math.max(1, Math.floor(service.concurrency)) : 0;
      this.pools[stage] = new SlotPool<SimJob>(slots, times.stageSec[stage]);
    }
    this.load();
  }

  /** Runs until every job is complete or nothing more can happen (a stalled stage). */
  run(): this {
    // Each step completes a job, ends a switch, or passes a deadline; a bound keeps a misbehaving policy finite.
    const limit = 1000 + 50 * this.jobs.size * STAGES.length;
    this.settle();
    for (let step = 0; step < limit && this.left > 0; step++) {
      const next = this.nextEvent();
      if (next === null) break;
      this.t = next;
      this.settle();
    }
    return this;
  }

  /** The number of jobs that start `stage` in the replay (those running at its start not counted). */
  startsOf(stage: Stage): number {
    return this.starts[stage];
  }

  /** The jobs still waiting in `stage` when the replay ended (stalled), in order. */
  waitingIn(stage: Stage): readonly SimJob[] {
    return this.queues[stage];
  }

  private gated(stage: Stage): boolean {
    return this.nodes.length > 0 && STAGE_GROUP[stage] !== null;
  }

  /** The input's jobs: waiting ones into their queues in order, running ones into an engine or slot, partly done. */
  private load(): void {
    const jobs = [...this.input.jobs].sort((a, b) => a.order - b.order || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    this.nextOrder = Math.max(0, ...jobs.map((j) => j.order + 1));
    const running = jobs.filter((j) => j.state === 'running');
    for (const job of jobs) {
      const sim: SimJob = {
        id: job.id,
        stage: job.stage,
        order: job.order,
        queuedAtSec: job.queuedAtSec,
        runningAtStart: job.state === 'running' ? job.stage : null,
        visits: new Map(),
        doneAtSec: null,
      };
      this.jobs.set(job.id, sim);
      this.left++;
      if (job.state === 'waiting') {
        sim.visits.set(job.stage, { readyAtSec: Math.max(job.queuedAtSec, this.t), startSec: null, endSec: null, node: null, seq: null });
        this.queues[job.stage].push(sim);
        continue;
      }
      const startSec = job.startedAtSec ?? this.t;
      const elapsed = Math.max(0, this.t - startSec);
      const group = STAGE_GROUP[job.stage];
      if (!this.gated(job.stage) || group === null) {
        const pool = this.pools[job.stage]!;
        sim.visits.set(job.stage, { readyAtSec: startSec, startSec, endSec: null, node: null, seq: null });
        pool.add(sim, this.t, Math.max(pool.workSec - elapsed, OVERDUE_SHARE * pool.workSec));
        continue;
      }
      const node = this.nodeFor(job.node ?? null, group);
      // Under processor sharing a job has had its share of the engine while n ran: the n running beside it now.
      const sharing = running.filter((r) => r.stage === job.stage && this.nodeFor(r.node ?? null, group) === node).length;
      const engine = node.engines[group];
      sim.visits.set(job.stage, { readyAtSec: startSec, startSec, endSec: null, node: node.name, seq: null });
      const done = elapsed * engine.rateEach(Math.max(1, sharing));
      engine.add(sim, this.t, Math.max(engine.workSec - done, OVERDUE_SHARE * engine.workSec));
      node.startedInEpoch[group]++;
    }
  }

  /** The node a running job runs on: the one it names, else the first that grants its group, else the first. */
  private nodeFor(name: string | null, group: Group): SimNode {
    return (
      this.nodes.find((n) => n.name === name) ??
      this.nodes.find((n) => n.state !== 'idle' && n.phase.includes(group)) ??
      this.nodes[0]
    );
  }

  /** Everything that happens at `t`, until nothing more changes. */
  private settle(): void {
    for (let round = 0; round < SETTLE_ROUNDS; round++) {
      let changed = this.completeDue();
      for (const node of this.nodes) changed = node.endSwitch(this.t) || changed;
      for (const node of this.nodes) changed = node.endDrain(this.t) || changed;
      changed = this.startUngated() || changed;
      changed = this.startGated() || changed;
      // The policy decides only on a granted or idle lease; a view for a switch under way would go unread.
      for (const node of this.nodes) if (node.state === 'granted' || node.state === 'idle') changed = node.decide(this.view(node)) || changed;
      if (!changed) break;
    }
    this.trackLinger();
  }

  private completeDue(): boolean {
    let changed = false;
    for (const node of this.nodes) {
      for (const group of GROUPS) {
        for (const job of node.engines[group].takeDone(this.t)) {
          this.finish(job);
          changed = true;
        }
      }
    }
    for (const stage of STAGES) {
      for (const job of this.pools[stage]?.takeDone(this.t) ?? []) {
        this.finish(job);
        changed = true;
      }
    }
    return changed;
  }

  /** The job's stage is done: on to the next stage's queue (behind everything already there), or complete. */
  private finish(job: SimJob): void {
    const stage = job.stage!;
    job.visits.get(stage)!.endSec = this.t;
    const next = NEXT_STAGE[stage];
    if (next === null) {
      job.stage = null;
      job.doneAtSec = this.t;
      this.left--;
      return;
    }
    job.stage = next;
    job.order = this.nextOrder++;
    job.queuedAtSec = this.t;
    job.visits.set(next, { readyAtSec: this.t, startSec: null, endSec: null, node: null, seq: null });
    this.queues[next].push(job);
  }

  private take(stage: Stage, node: string | null): SimJob {
    const job = this.queues[stage].shift()!;
    const visit = job.visits.get(stage)!;
    visit.startSec = this.t;
    visit.node = node;
    visit.seq = this.starts[stage]++;
    return job;
  }

  private startUngated(): boolean {
    let changed = false;
    for (const stage of STAGES) {
      const pool = this.pools[stage];
      if (!pool) continue;
      while (pool.free > 0 && this.queues[stage].length > 0) {
        pool.add(this.take(stage, null), this.t);
        changed = true;
      }
    }
    return changed;
  }

  /**
   * Nodes that grant a group take its queue's head in turn, one job each round, as workers on several nodes pulling
   * the same consumer share it; the order of the nodes decides ties, so the replay is deterministic.
   */
  private startGated(): boolean {
    let changed = false;
    for (let progress = true; progress; ) {
      progress = false;
      for (const node of this.nodes) {
        for (const group of node.startableGroups()) {
          const stage = GROUP_STAGE[group];
          if (this.queues[stage].length === 0) continue;
          node.engines[group].add(this.take(stage, node.name), this.t);
          node.startedInEpoch[group]++;
          progress = changed = true;
        }
      }
    }
    return changed;
  }

  /** The view NodeScheduler builds from the real queues, built from the replay's. */
  private view(node: SimNode): NodeView {
    const groups = {} as Record<Group, GroupView>;
    for (const group of GROUPS) {
      const queue = this.queues[GROUP_STAGE[group]];
      const spec = node.spec.groups[group];
      groups[group] = {
        group,
        vramMb: spec.vramMb,
        concurrency: spec.concurrency,
        serviceSec: spec.secPerJob,
        waiting: queue.length,
        running: node.engines[group].count,
        startedInEpoch: node.startedInEpoch[group],
        oldestWaitSec: queue.length === 0 ? null : Math.max(0, this.t - queue[0].queuedAtSec),
        upstream: FEEDERS[group].reduce((sum, stage) => sum + this.queues[stage].length + (this.pools[stage]?.count ?? 0), 0),
      };
    }
    return {
      nowSec: this.t,
      phase: node.phase,
      state: node.state,
      quota: node.quota,
      sinceSec: node.sinceSec,
      budgetMb: node.spec.budgetMb,
      // The policy sees the measured mean, as the scheduler's does, in the fast and slow replays too.
      switchSec: node.spec.switchSec,
      groups,
    };
  }

  /** A node whose phase is idle while another group has work may be lingering: its deadline is an event. */
  private trackLinger(): void {
    for (const node of this.nodes) {
      const idle = node.phase.every((g) => this.queues[GROUP_STAGE[g]].length === 0 && node.engines[g].count === 0);
      const elsewhere = GROUPS.some((g) => !node.phase.includes(g) && this.queues[GROUP_STAGE[g]].length > 0);
      if (node.state === 'granted' && elsewhere && idle) node.lingerFrom ??= this.t;
      else node.lingerFrom = null;
    }
  }

  /** The next moment anything can change: a job or a switch ends, or a policy deadline falls due. */
  private nextEvent(): number | null {
    let next = Infinity;
    const deadline = (at: number) => {
      if (at > this.t + SAME_MOMENT && at < next) next = at;
    };
    // A completion due within rounding of now is still a step ahead, never one behind: the replay always moves on.
    const completion = (at: number | null) => {
      if (at !== null) next = Math.min(next, Math.max(at, this.t + 2 * SAME_MOMENT));
    };
    for (const node of this.nodes) {
      for (const group of GROUPS) completion(node.engines[group].nextCompletion());
      completion(node.switchEndsAt);
      if (node.state !== 'granted' && node.state !== 'idle') continue;
      for (const group of GROUPS) {
        const head = this.queues[GROUP_STAGE[group]][0];
        if (head && !node.phase.includes(group)) deadline(head.queuedAtSec + this.input.policy.maxWaitSec);
      }
      if (node.lingerFrom !== null) deadline(node.lingerFrom + Math.min(this.input.policy.lingerSec, node.spec.switchSec));
    }
    for (const stage of STAGES) completion(this.pools[stage]?.nextCompletion() ?? null);
    if (next === Infinity) return null;
    return next;
  }
}
