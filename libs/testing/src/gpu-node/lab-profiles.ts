import type { GpuModelSpec } from './gpu-node.types.js';

/** The lab's card: an RTX 3060 Ti with 8 GB. */
export const LAB_8GB_VRAM_MB = 8192;

/**
 * The lab's three residency groups on 8 GB, from published footprints (STACK.md): faster-whisper large-v2 fp16,
 * Mistral 7B Q4 and Llama 3 8B Q4 with its KV cache. No two fit together, so every group is exclusive. Loads take
 * 8 s; one request takes 10 s (a ~2-minute clip at ~12x real time), 15 s (a profile) and 25 s (a rating).
 * No concurrency gain: the servers' defaults (OLLAMA_NUM_PARALLEL=1, speaches unbatched).
 */
export const LAB_8GB_MODELS: readonly GpuModelSpec[] = Object.freeze([
  {
    name: 'Systran/faster-whisper-large-v2',
    api: 'speaches',
    group: 'stt',
    vramMb: 4500,
    loadSec: 8,
    serviceSec: 10,
    maxConcurrency: 1,
    gainAtMax: 1,
  },
  {
    name: 'mistral:7b-instruct-q4_K_M',
    api: 'ollama',
    group: 'extract',
    vramMb: 5100,
    loadSec: 8,
    serviceSec: 15,
    maxConcurrency: 1,
    gainAtMax: 1,
  },
  {
    name: 'llama3:8b-instruct-q4_K_M',
    api: 'ollama',
    group: 'rate',
    vramMb: 5600,
    loadSec: 8,
    serviceSec: 25,
    maxConcurrency: 1,
    gainAtMax: 1,
  },
] satisfies GpuModelSpec[]);

/** speaches with batching: up to 8 clips at once, 3.5x the throughput of one (~46x vs ~12x real time). */
export const SPEACHES_BATCHING = { maxConcurrency: 8, gainAtMax: 3.5 } as const;
/** Ollama with OLLAMA_NUM_PARALLEL=4: 2.2x the throughput of one request. */
export const OLLAMA_PARALLEL = { maxConcurrency: 4, gainAtMax: 2.2 } as const;

/**
 * The same models with the engines' concurrency switched on (SPEACHES_BATCHING, OLLAMA_PARALLEL). Footprints are
 * kept as they are: a scheduler that fills the batches must still never put two groups on the card.
 */
export function withBatchingGains(models: readonly GpuModelSpec[]): GpuModelSpec[] {
  return models.map((m) => ({ ...m, ...(m.api === 'speaches' ? SPEACHES_BATCHING : OLLAMA_PARALLEL) }));
}

/** LAB_8GB_MODELS with batching gains. */
export const LAB_8GB_BATCHED_MODELS: readonly GpuModelSpec[] = Object.freeze(withBatchingGains(LAB_8GB_MODELS));
