import { perGroup, type Group } from '@introeval/contracts';
import type { GpuModelSpec, GpuNodeHandle } from './gpu-node.types.js';

/** One group of a node in the scheduler's GPU node file (apps/scheduler, docs/scheduling.md). */
export interface NodeFileGroup {
  vramMb: number;
  concurrency: number;
  serviceSec: number;
  gainAtMax: number;
  driver: { kind: 'ollama' | 'speaches'; url: string; models: string[]; settleMs: number; pollMs: number; timeoutMs?: number };
}

export interface NodeFileEntry {
  name: string;
  vramMb: number;
  groups: Record<Group, NodeFileGroup>;
}

/**
 * How a stand-in appears in the scheduler's GPU node file: each group's footprint and engine concurrency, its
 * service time in real seconds (the stand-in runs `timeScale` times faster) as the file means it: seconds per job
 * with the engine at that concurrency, so a batching gain divides it (what a lab writes from its measurements: "10 s a
 * clip, 3.5x the throughput at batch 8"), and a driver pointed at the stand-in's
 * API for it. Nothing lingers on a simulated card, so the drivers wait no settle time and poll often.
 */
export function nodeFileEntry(
  name: string,
  node: Pick<GpuNodeHandle, 'ollamaUrl' | 'speachesUrl'>,
  models: readonly GpuModelSpec[],
  options: { vramMb: number; timeScale: number; timeoutMs?: number },
): NodeFileEntry {
  const group = (g: Group): NodeFileGroup => {
    const model = models.find((m) => m.group === g);
    if (!model) throw new Error(`no model for group ${g}`);
    return {
      vramMb: model.vramMb,
      concurrency: model.maxConcurrency,
      serviceSec: model.serviceSec / model.gainAtMax / options.timeScale,
      gainAtMax: model.gainAtMax,
      driver: {
        kind: model.api,
        url: model.api === 'ollama' ? node.ollamaUrl : node.speachesUrl,
        models: [model.name],
        settleMs: 0,
        pollMs: 5,
        ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
      },
    };
  };
  return { name, vramMb: options.vramMb, groups: perGroup(group) };
}
