import { ENGINE_ROLE, GROUP_STAGE, perGroup, STAGE_GROUP, type Group, type JobRecord, type Stage, type WaitingFor } from '@introeval/contracts';
import type { JobForecast } from '@introeval/scheduling';
import type { NodeState } from '../adapters/system.reader.js';
import type { Snapshot } from '../snapshot/snapshot.types.js';

/** The work of each stage, in the words a student reads. Exhaustive: a new stage fails the type check until named. */
const STAGE_WORK: Record<Stage, { queue: string; doing: string }> = {
  upload: { queue: 'media checking', doing: 'checking your recording' },
  transcribe: { queue: 'transcription', doing: 'transcribing your recording' },
  extract: { queue: 'profile extraction', doing: 'reading your profile from the transcript' },
  rate: { queue: 'rating', doing: 'scoring your introduction' },
};

/** What each GPU phase does ("switch to speech-to-text"): its stage's engine role. */
const PHASE_WORDS = perGroup((group) => ENGINE_ROLE[GROUP_STAGE[group]]);

/** Where the job stands in its current stage's queue. */
export type Place = { kind: 'running' } | { kind: 'waiting'; ahead: number };

const capitalised = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);
const jobs = (n: number) => `${n} job${n === 1 ? '' : 's'}`;

function waits(code: WaitingFor['code'], message: string, extra: Partial<WaitingFor> = {}): WaitingFor {
  return { code, message, node: null, phase: [], ahead: 0, ...extra };
}

/**
 * The GPU node a waiting job of `group` depends on: one of the nodes its stage's live workers are bound to (the
 * forecast's pick first, then one granting the group, switching to it, loading it, in that order). Null when the
 * stage's workers are not bound to any node (the embedded CPU engines): then nothing but the queue is ahead.
 */
function nodeOf(snapshot: Snapshot, stage: Stage, group: Group, forecast: JobForecast | undefined): NodeState | null {
  const bound = new Set(snapshot.nodesOfStage[stage]);
  const nodes = snapshot.nodes.filter((node) => node.lease && bound.has(node.name));
  if (nodes.length === 0) return null;
  const pick = (test: (node: NodeState) => boolean) => nodes.find(test);
  return (
    pick((node) => node.lease!.state === 'granted' && node.lease!.phase.includes(group)) ??
    pick((node) => node.name === forecast?.switchAhead?.node) ??
    pick((node) => node.lease!.next?.phase.includes(group) === true) ??
    pick((node) => node.lease!.state === 'loading' && node.lease!.phase.includes(group)) ??
    nodes[0]
  );
}

/** What an unfinished job waits for, in one sentence a student reads and a code the clients switch on. */
export function waitingFor(record: JobRecord, place: Place, snapshot: Snapshot, forecast: JobForecast | undefined): WaitingFor {
  const stage = record.stage;
  const work = STAGE_WORK[stage];
  // The stage's engine failed and the stage is being retried: the notice (set by the stage) says it best.
  if (record.errorDetail && record.notice) return waits('engine-unreachable', record.notice);
  if (place.kind === 'running') return waits('processing', `${capitalised(work.doing)} now`);

  const queued = () =>
    place.ahead === 0
      ? waits('queued', `next in line for ${work.queue}`)
      : waits('queued', `queued behind ${jobs(place.ahead)} for ${work.queue}`, { ahead: place.ahead });
  if (snapshot.stages[stage].consumers === 0) {
    return waits('no-worker', `no worker is taking ${work.queue} jobs right now; yours starts as soon as one is back`, {
      ahead: place.ahead,
    });
  }
  const group = STAGE_GROUP[stage];
  const node = group ? nodeOf(snapshot, stage, group, forecast) : null;
  if (!group || !node?.lease) return queued();
  const lease = node.lease;
  const phase = PHASE_WORDS[group];
  const onNode = { node: node.name, phase: [group], ahead: place.ahead };
  if (lease.state === 'granted' && lease.phase.includes(group)) return queued();
  if (lease.state === 'loading' && lease.phase.includes(group)) {
    return waits('loading', `the ${phase} model is loading on the GPU of node ${node.name}`, onNode);
  }
  if (lease.next?.phase.includes(group)) {
    return waits('switching', `the GPU on node ${node.name} is switching to ${phase}`, onNode);
  }
  return waits('phase', `waiting for the GPU on node ${node.name} to switch to ${phase}`, onNode);
}
