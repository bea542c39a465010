import { NEXT_STAGE, STAGES, type Stage } from '@introeval/contracts';
import { describeBasis } from './forecast-basis.js';
import { replayTimes } from './forecast-times.js';
import type { Forecast, ForecastInput, JobForecast, NodePlan, StageForecast } from './forecast.types.js';
import { Replay } from './replay.js';
import type { SimJob } from './sim-job.js';

/**
 * The ETA of every unfinished job: a deterministic replay of the scheduler's own policy forward over the current
 * queues (docs/scheduling.md, "Forecast"), run three times: with the measured means (the ETA, positions, switches),
 * and with every service and switch time at the fast and at the slow end of its spread (the range). No I/O.
 */
export function forecast(input: ForecastInput): Forecast {
  // The replay runs on a clock that starts at 0 now: its tolerances ("the same moment", "done within rounding") are
  // relative to the times it compares, and at epoch seconds (~1.8e9) they would swallow whole seconds of work.
  const origin = input.nowSec;
  const local = shifted(input, -origin);
  const at = (sec: number) => sec + origin;
  const mean = new Replay(local, replayTimes(local, 'mean')).run();
  const low = new Replay(local, replayTimes(local, 'low')).run();
  const high = new Replay(local, replayTimes(local, 'high')).run();
  const jobs = new Map<string, JobForecast>();
  for (const job of mean.jobs.values()) {
    const done = job.doneAtSec ?? Infinity;
    const ahead = switchAhead(mean, job, 0);
    // Replays at other speeds may batch differently; the range always contains the ETA itself.
    jobs.set(job.id, {
      completeAtSec: at(done),
      lowSec: at(Math.min(done, low.jobs.get(job.id)!.doneAtSec ?? Infinity)),
      highSec: at(Math.max(done, high.jobs.get(job.id)!.doneAtSec ?? Infinity)),
      stages: stagesAhead(mean, job).map((s) => ({ ...s, startSec: at(s.startSec), endSec: at(s.endSec) })),
      switchAhead: ahead && { ...ahead, atSec: at(ahead.atSec) },
      stalledAt: job.doneAtSec === null ? job.stage : null,
    });
  }
  const nodes = new Map<string, NodePlan>(
    mean.nodes.map((node) => [
      node.name,
      { switches: node.switches.map((s) => ({ atSec: at(s.atSec), phase: [...s.phase], grantAtSec: at(s.grantAtSec) })) },
    ]),
  );
  return { atSec: input.nowSec, jobs, nodes, basis: describeBasis(input) };
}

/** The input with every point in time moved by `bySec` (durations stay as they are). */
function shifted(input: ForecastInput, bySec: number): ForecastInput {
  return {
    ...input,
    nowSec: input.nowSec + bySec,
    jobs: input.jobs.map((job) => ({
      ...job,
      queuedAtSec: job.queuedAtSec + bySec,
      startedAtSec: job.startedAtSec === null ? null : job.startedAtSec + bySec,
    })),
    nodes: input.nodes.map((node) => ({ ...node, lease: { ...node.lease, sinceSec: node.lease.sinceSec + bySec } })),
  };
}

/** Every stage from the one the job is in to the last, as the mean replay ran them (Infinity where it never got). */
function stagesAhead(replay: Replay, job: SimJob): StageForecast[] {
  const ahead: StageForecast[] = [];
  // Visits begin at the stage the job was in when the replay began.
  for (let stage: Stage | null = job.visits.keys().next().value ?? null; stage !== null; stage = NEXT_STAGE[stage]) {
    const visit = job.visits.get(stage);
    if (visit && visit.startSec !== null) {
      ahead.push({
        stage,
        position: visit.seq === null ? 0 : visit.seq + 1,
        startSec: visit.startSec,
        endSec: visit.endSec ?? Infinity,
        node: visit.node,
      });
      continue;
    }
    // Never started: behind every job the replay started there, and those still queued before it.
    const queued = replay.waitingIn(stage);
    const before = visit ? queued.indexOf(job) : queued.length;
    ahead.push({ stage, position: replay.startsOf(stage) + before + 1, startSec: Infinity, endSec: Infinity, node: null });
  }
  return ahead;
}

/**
 * The switch the job's next start waits for: its next start (this stage if it waits, else the next one) falls under a
 * grant that a switch made after the job was ready to start.
 */
function switchAhead(replay: Replay, job: SimJob, nowSec: number): JobForecast['switchAhead'] {
  const stage = job.runningAtStart === null ? STAGES.find((s) => job.visits.has(s)) : NEXT_STAGE[job.runningAtStart];
  const visit = stage ? job.visits.get(stage) : undefined;
  if (!visit || visit.startSec === null || visit.node === null) return null;
  const node = replay.nodes.find((n) => n.name === visit.node)!;
  const grant = node.grantAt(visit.startSec);
  if (grant.switch === null || grant.grantedAtSec <= Math.max(visit.readyAtSec, nowSec)) return null;
  return { node: node.name, phase: [...grant.phase], atSec: grant.switch.atSec };
}
