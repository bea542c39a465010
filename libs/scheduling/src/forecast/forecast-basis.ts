import { GROUP_STAGE, GROUPS, STAGE_GROUP, STAGE_TABLE, STAGES, type Stage } from '@introeval/contracts';
import { usesFloor } from './forecast-times.js';
import type { ForecastInput, ForecastNode } from './forecast.types.js';

const ROLE = Object.fromEntries(STAGE_TABLE.map((row) => [row.stage, row.engineRole])) as Record<Stage, string>;

/** Seconds as a student reads them: one decimal below 10 s, whole seconds above. */
export function seconds(sec: number): string {
  return `${sec < 10 ? sec.toFixed(1) : Math.round(sec).toString()} s`;
}

function nodeTimes(node: ForecastNode): string {
  const groups = GROUPS.map((g) => `${seconds(node.groups[g].secPerJob)} per ${ROLE[GROUP_STAGE[g]]} job`);
  return [...groups, `${seconds(node.switchSec)} per switch`].join(', ');
}

function list(names: string[]): string {
  return names.length <= 1 ? names.join('') : `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
}

/**
 * What the replay assumed, in words: "replay of the adaptive policy on gpu-0 over 12 jobs (9 waiting, 3 running);
 * 2.9 s per speech-to-text job, ..., 8.1 s per switch; range from the measured spread".
 */
export function describeBasis(input: ForecastInput): string {
  const waiting = input.jobs.filter((j) => j.state === 'waiting').length;
  const jobs = `${input.jobs.length} job${input.jobs.length === 1 ? '' : 's'} (${waiting} waiting, ${input.jobs.length - waiting} running)`;
  const ungated = STAGES.filter((s) => input.nodes.length === 0 || STAGE_GROUP[s] === null).map((s) => {
    const service = input.stages[s];
    const slots = service.workers > 0 ? `${Math.max(1, Math.floor(service.concurrency))} slot${service.concurrency >= 2 ? 's' : ''}` : 'no live worker';
    return `${seconds(service.secPerJob)} per ${ROLE[s]} job on ${slots}`;
  });
  const parts: string[] = [];
  if (input.nodes.length === 0) {
    parts.push(`replay of the ungated workers (no GPU nodes) over ${jobs}`, ungated.join(', '));
  } else {
    const names = input.nodes.map((n) => n.name);
    parts.push(`replay of the ${input.policy.name} policy on ${list(names)} over ${jobs}`);
    const times = input.nodes.map(nodeTimes);
    parts.push(times.every((t) => t === times[0]) ? times[0] : input.nodes.map((n, i) => `${n.name}: ${times[i]}`).join('; '));
    if (ungated.length > 0) parts.push(ungated.join(', '));
  }
  const unmeasured =
    input.nodes.some((n) => GROUPS.some((g) => n.groups[g].samples === 0)) ||
    STAGES.some((s) => (input.nodes.length === 0 || STAGE_GROUP[s] === null) && input.stages[s].samples === 0);
  if (unmeasured) parts.push('some times are configured estimates, not yet measured');
  parts.push(usesFloor(input) ? 'range ±10% where no spread is measured yet' : 'range from the measured spread');
  return parts.join('; ');
}
