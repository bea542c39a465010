import type { BusyInterval, Fault, GpuModelSpec, GpuNodeBrain, RecordedRequest } from './gpu-node.types.js';
import { GpuModel } from './gpu-model.js';
import { SimClock } from './sim-clock.js';
import { VramCard } from './vram-card.js';

/** Ollama resolves a name without a tag to `:latest`, and compares names case-insensitively. */
export function ollamaModelKey(name: string): string {
  const lower = name.trim().toLowerCase();
  const lastSegment = lower.slice(lower.lastIndexOf('/') + 1);
  return lastSegment.includes(':') ? lower : `${lower}:latest`;
}

/** Faults waiting for their requests, first injected first used. */
class FaultBook {
  private readonly pending: Array<{ fault: Fault; left: number }> = [];

  add(fault: Fault): void {
    const times = fault.times ?? 1;
    if (!(times >= 1)) throw new Error(`fault.times must be >= 1, got ${times}`);
    this.pending.push({ fault, left: times });
  }

  /** The fault for this request, if one matches (it is used up after `times` requests). */
  take(api: Fault['api'], path: string): Fault | null {
    const i = this.pending.findIndex((p) => p.fault.api === api && p.fault.path === path);
    if (i < 0) return null;
    const entry = this.pending[i];
    if (--entry.left <= 0) this.pending.splice(i, 1);
    return entry.fault;
  }
}

export interface NodeStateOptions {
  vramMb: number;
  models: readonly GpuModelSpec[];
  timeScale: number;
  unloadLagSec: number;
  ollamaKeepAliveSec: number;
  speachesTtlSec: number;
  brain: GpuNodeBrain;
}

/**
 * Everything the two HTTP faces share: one clock, one card, the models on it, and the logs. The routes only
 * translate HTTP into calls on this.
 */
export class NodeState {
  readonly clock: SimClock;
  readonly card: VramCard;
  readonly brain: GpuNodeBrain;
  readonly busyLog: BusyInterval[] = [];
  readonly requestLog: RecordedRequest[] = [];
  readonly faults = new FaultBook();
  /** Real time at simulated 0: simulated times are shown as dates from here (created_at, expires_at). */
  private readonly epochMs = Date.now();
  private readonly ollama = new Map<string, GpuModel>();
  private readonly speaches = new Map<string, GpuModel>();

  constructor(options: NodeStateOptions) {
    this.clock = new SimClock(options.timeScale);
    this.card = new VramCard(options.vramMb);
    this.brain = options.brain;
    for (const spec of options.models) {
      validateSpec(spec);
      const isOllama = spec.api === 'ollama';
      const model = new GpuModel(spec, {
        clock: this.clock,
        card: this.card,
        busyLog: this.busyLog,
        unloadLagSec: options.unloadLagSec,
        defaultKeepAliveSec: isOllama ? options.ollamaKeepAliveSec : options.speachesTtlSec,
      });
      const map = isOllama ? this.ollama : this.speaches;
      const key = isOllama ? ollamaModelKey(spec.name) : spec.name;
      if (map.has(key)) throw new Error(`model ${spec.name} is listed twice`);
      map.set(key, model);
    }
  }

  ollamaModel(name: string): GpuModel | undefined {
    return this.ollama.get(ollamaModelKey(name));
  }

  ollamaModels(): GpuModel[] {
    return [...this.ollama.values()];
  }

  speachesModel(id: string): GpuModel | undefined {
    return this.speaches.get(id);
  }

  speachesModels(): GpuModel[] {
    return [...this.speaches.values()];
  }

  /** A simulated time as an RFC 3339 date (Infinity: Ollama's "forever", ~292 years ahead). */
  isoAt(simSec: number): string {
    const sec = Number.isFinite(simSec) ? simSec : 292 * 365.25 * 86400;
    return new Date(this.epochMs + sec * 1000).toISOString();
  }
}

function validateSpec(spec: GpuModelSpec): void {
  const positive = (v: number) => Number.isFinite(v) && v > 0;
  if (!spec.name) throw new Error('a model needs a name');
  if (spec.api !== 'ollama' && spec.api !== 'speaches') throw new Error(`${spec.name}: api must be ollama or speaches`);
  if (!positive(spec.vramMb)) throw new Error(`${spec.name}: vramMb must be > 0`);
  if (!(spec.loadSec >= 0) || !(spec.serviceSec >= 0)) throw new Error(`${spec.name}: loadSec and serviceSec must be >= 0`);
  if (!Number.isInteger(spec.maxConcurrency) || spec.maxConcurrency < 1) {
    throw new Error(`${spec.name}: maxConcurrency must be an integer >= 1`);
  }
  if (!positive(spec.gainAtMax)) throw new Error(`${spec.name}: gainAtMax must be > 0`);
}
