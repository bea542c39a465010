// PLACEHOLDER, to be replaced by the real replay of the scheduler's policy (written in parallel in the scheduling
// branch; the merge takes that file). It keeps the exact signature so that the status service can be built and
// tested against it: a first-come-first-served flow through the stages with each stage's measured time and slots, and
// a GPU group that its node does not grant now waits one measured switch. No spec pins its numbers.
import { GROUPS, STAGE_GROUP, STAGES, type Group, type Stage } from '@introeval/contracts';
import type {
  Forecast,
  ForecastInput,
  ForecastJob,
  ForecastNode,
  JobForecast,
  NodePlan,
  ServiceTime,
  StageForecast,
} from './forecast.types.js';

/** Seconds per job assumed for a stage nothing has measured yet. */
const UNMEASURED_SEC = 10;

interface Server {
  /** Seconds per job in one slot. */
  secPerJob: number;
  /** When each slot is free next. */
  freeAt: number[];
  node: string | null;
  /** Set when the job's start waits for this node to switch to the group. */
  switchAt: number | null;
  group: Group | null;
}

interface Flow {
  id: string;
  order: number;
  readyAt: number;
  stages: StageForecast[];
  switchAhead: JobForecast['switchAhead'];
  blocked: boolean;
}

function perJob(time: ServiceTime, scale: number): number {
  // samples 0: secPerJob is the configured estimate; 0 there too: the assumption below.
  const mean = time.secPerJob > 0 ? time.secPerJob : UNMEASURED_SEC;
  return Math.max(mean * 0.1, mean + scale * time.spreadSec);
}

/** The node serving `group`: one that grants it now, else one switching to it, else the first that has it. */
function nodeFor(nodes: ForecastNode[], group: Group): ForecastNode | null {
  const granting = nodes.find((node) => node.lease.state === 'granted' && node.lease.phase.includes(group));
  const switching = nodes.find((node) => node.lease.next?.includes(group) || (node.lease.state === 'loading' && node.lease.phase.includes(group)));
  return granting ?? switching ?? nodes.find((node) => group in node.groups) ?? null;
}

function serverFor(input: ForecastInput, stage: Stage, scale: number): Server | null {
  const group = STAGE_GROUP[stage];
  const node = group ? nodeFor(input.nodes, group) : null;
  if (group && node) {
    const granted = node.lease.state === 'granted' && node.lease.phase.includes(group);
    const switchSec = Math.max(0, node.switchSec + scale * node.switchSpreadSec);
    const switchAt = granted ? null : input.nowSec;
    const opensAt = granted ? input.nowSec : Math.max(input.nowSec, node.lease.sinceSec + switchSec);
    // A GPU group's time is throughput at its concurrency: one server that finishes a job every secPerJob.
    return { secPerJob: perJob(node.groups[group], scale), freeAt: [opensAt], node: node.name, switchAt, group };
  }
  const service = input.stages[stage];
  if (service.workers === 0) return null;
  const slots = Math.max(1, service.concurrency);
  return { secPerJob: perJob(service, scale), freeAt: Array.from({ length: slots }, () => input.nowSec), node: null, switchAt: null, group };
}

/** Takes the slot that frees first. */
function take(server: Server, readyAt: number): { start: number; end: number } {
  let best = 0;
  for (let i = 1; i < server.freeAt.length; i++) if (server.freeAt[i] < server.freeAt[best]) best = i;
  const start = Math.max(readyAt, server.freeAt[best]);
  const end = start + server.secPerJob;
  server.freeAt[best] = end;
  return { start, end };
}

function replay(input: ForecastInput, scale: number): Map<string, Flow> {
  const flows = new Map<string, Flow>();
  const byStage = new Map<Stage, ForecastJob[]>(STAGES.map((stage) => [stage, []]));
  for (const job of input.jobs) byStage.get(job.stage)!.push(job);
  let arriving: Flow[] = [];
  for (const stage of STAGES) {
    const server = serverFor(input, stage, scale);
    const jobs = byStage.get(stage)!;
    const running = jobs.filter((job) => job.state === 'running').sort((a, b) => a.order - b.order);
    const waiting = jobs.filter((job) => job.state === 'waiting').sort((a, b) => a.order - b.order);
    const next: Flow[] = [];
    // Running jobs hold their slots until their measured time is up (or a moment from now when overdue).
    for (const job of running) {
      const flow: Flow = { id: job.id, order: job.order, readyAt: input.nowSec, stages: [], switchAhead: null, blocked: server === null };
      if (server) {
        const started = job.startedAtSec ?? input.nowSec;
        const end = Math.max(input.nowSec + 0.5, started + server.secPerJob);
        const slot = server.freeAt.indexOf(Math.min(...server.freeAt));
        server.freeAt[slot] = Math.max(server.freeAt[slot], end);
        flow.stages.push({ stage, position: 0, startSec: started, endSec: end, node: server.node });
        flow.readyAt = end;
      }
      flows.set(job.id, flow);
      next.push(flow);
    }
    // Then the queue in its order, then the jobs arriving from the stage before, in the order they get here.
    const queue: Flow[] = [
      ...waiting.map((job) => {
        const flow: Flow = { id: job.id, order: job.order, readyAt: input.nowSec, stages: [], switchAhead: null, blocked: false };
        flows.set(job.id, flow);
        return flow;
      }),
      ...arriving.sort((a, b) => a.readyAt - b.readyAt || a.order - b.order),
    ];
    let position = 0;
    for (const flow of queue) {
      position++;
      if (flow.blocked || !server) {
        flow.blocked = true;
        next.push(flow);
        continue;
      }
      const { start, end } = take(server, flow.readyAt);
      flow.stages.push({ stage, position, startSec: start, endSec: end, node: server.node });
      if (server.switchAt !== null && !flow.switchAhead && server.node && server.group) {
        flow.switchAhead = { node: server.node, phase: [server.group], atSec: server.switchAt };
      }
      flow.readyAt = end;
      next.push(flow);
    }
    // A finished stage moves the job on; flows of this stage become the next one's arrivals.
    arriving = next;
  }
  return flows;
}

/** FIFO estimate (placeholder): see the note at the top of this file. */
export function forecast(input: ForecastInput): Forecast {
  const mid = replay(input, 0);
  const low = replay(input, -1);
  const high = replay(input, 1);
  const jobs = new Map<string, JobForecast>();
  for (const [id, flow] of mid) {
    if (flow.blocked) continue;
    const lowSec = low.get(id)?.readyAt ?? flow.readyAt;
    const highSec = high.get(id)?.readyAt ?? flow.readyAt;
    jobs.set(id, {
      completeAtSec: flow.readyAt,
      lowSec: Math.min(lowSec, flow.readyAt),
      highSec: Math.max(highSec, flow.readyAt),
      stages: flow.stages,
      switchAhead: flow.switchAhead,
    });
  }
  const nodes = new Map<string, NodePlan>(
    input.nodes.map((node) => [node.name, { switches: node.lease.next ? [{ atSec: input.nowSec, phase: node.lease.next }] : [] }]),
  );
  const measured = STAGES.filter((stage) => input.stages[stage].samples > 0).length;
  const groups = input.nodes.length > 0 ? `${input.nodes.length} GPU node(s) (${GROUPS.join(', ')})` : 'no GPU nodes';
  const basis =
    `first-come-first-served estimate over ${input.jobs.length} unfinished job(s), ${groups}; ` +
    `${measured} of ${STAGES.length} stages measured, configured estimates for the rest`;
  return { atSec: input.nowSec, jobs, nodes, basis };
}
