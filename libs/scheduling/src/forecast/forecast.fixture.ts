// Hand-built forecast inputs for the forecast specs (not part of the build).
import { perGroup, perStage, type Group, type Stage } from '@introeval/contracts';
import type { ForecastInput, ForecastJob, ForecastNode, ServiceTime, StageService } from './forecast.types.js';

export const NOW = 1000;
const LAB_VRAM_MB: Record<Group, number> = { stt: 4500, extract: 5100, rate: 5600 };

/** A measured time with no spread (so the range is the ±10 % floor), one sample. */
export function service(secPerJob: number, concurrency = 1, spreadSec = 0): ServiceTime {
  return { secPerJob, spreadSec, concurrency, samples: 1 };
}

/** An 8 GB node granted `phase` since t = 990: speech-to-text 2 s, extraction 5 s, rating 10 s, one at a time; switches 8 s. */
export function node(name: string, fields: Partial<Omit<ForecastNode, 'lease' | 'groups'>> & {
  lease?: Partial<ForecastNode['lease']>;
  groups?: Partial<Record<Group, Partial<ServiceTime & { gainAtMax: number }>>>;
} = {}): ForecastNode {
  const { lease = {}, groups = {}, ...rest } = fields;
  const base: Record<Group, ServiceTime> = { stt: service(2), extract: service(5), rate: service(10) };
  return {
    name,
    budgetMb: 8192,
    switchSec: 8,
    switchSpreadSec: 0,
    ...rest,
    lease: { phase: ['stt'], state: 'granted', sinceSec: 990, next: null, quota: null, ...lease },
    groups: perGroup((g) => ({ ...base[g], vramMb: LAB_VRAM_MB[g], ...groups[g] })),
  };
}

let order = 0;

/** A job waiting in `stage` since t = 990 (or `queuedAtSec`), in order of creation. */
export function waiting(id: string, stage: Stage, queuedAtSec = 990): ForecastJob {
  return { id, stage, state: 'waiting', order: ++order, queuedAtSec, startedAtSec: null };
}

/** A job running in `stage` since `startedAtSec`, on `node` where it is a gated stage. */
export function running(id: string, stage: Stage, startedAtSec: number, onNode: string | null = null): ForecastJob {
  return { id, stage, state: 'running', order: ++order, queuedAtSec: startedAtSec, startedAtSec, node: onNode };
}

/** The whole input: the adaptive policy (max wait 600 s, linger 8 s), upload 1 s on one worker's slot. */
export function input(fields: Partial<ForecastInput> & { stageTimes?: Partial<Record<Stage, Partial<StageService>>> } = {}): ForecastInput {
  const { stageTimes = {}, ...rest } = fields;
  return {
    nowSec: NOW,
    jobs: [],
    nodes: [node('gpu-0')],
    policy: { name: 'adaptive', maxWaitSec: 600, lingerSec: 8 },
    stages: perStage((s) => ({ ...service(1), workers: 1, ...stageTimes[s] })),
    ...rest,
  };
}

