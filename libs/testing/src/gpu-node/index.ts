/**
 * The GPU-node stand-in: ONE simulated card behind the two real HTTP APIs that share it in production.
 *
 * What it models
 * - Ollama (/api/chat, /api/generate incl. empty-request load/unload and NDJSON streaming, /api/ps, /api/tags,
 *   /api/show, /api/version) and speaches (/v1/audio/transcriptions json|text|verbose_json, /api/ps list, POST load,
 *   DELETE unload, /v1/models, /health), with their status codes and error bodies (Ollama `{error}`, FastAPI
 *   `{detail}`).
 * - One VRAM budget for both: free = budget - resident - loading - unloaded-but-not-yet-freed (`unloadLagSec`). A
 *   load that does not fit fails at once as a CUDA out-of-memory (Ollama 500 cudaMalloc, speaches 500) and counts
 *   in oomErrors(). Nothing is ever evicted to make room (real Ollama may evict its OWN idle models, never
 *   speaches'; a scheduler must rely on neither).
 * - Both APIs list a model in /api/ps while it is still LOADING (Ollama registers the runner first, speaches the
 *   handle): a residency driver confirms a load by the load call's answer, an unload by /api/ps.
 * - Keep-alive: Ollama's latest request sets it (default `ollamaKeepAliveSec` 300, negative = forever, 0 = unload
 *   when idle); an unload asked for while busy happens after the last request, and a new request cancels it.
 *   speaches unloads an idle model after `speachesTtlSec` (default 300) and refuses DELETE while in use (409).
 * - Latency: per model, processor sharing with up to maxConcurrency requests (each at gain(c)/c, gain linear from 1
 *   to gainAtMax), FIFO queue behind, exact event times in simulated seconds (SimClock), Ollama 503 past maxQueue.
 *   A client that disconnects frees its slot at once. Ollama's durations (ns) are simulated time.
 * - Logs: busy intervals (with `X-Lease-Epoch`), residency intervals, requests as sent; findOverlaps() checks the
 *   phase invariant on them, also for a smaller card than the one simulated.
 *
 * What it does not model: num_ctx/option changes forcing an Ollama reload, CPU offload of a model that does not
 * fit, service time depending on audio length or prompt size, load time spent before an OOM, srt/vtt output.
 */
export type {
  BrainChatRequest,
  BrainTranscript,
  BrainWord,
  BusyInterval,
  Fault,
  GpuModelSpec,
  GpuNodeBrain,
  GpuNodeHandle,
  GpuNodeOptions,
  RecordedMultipart,
  RecordedRequest,
  ResidencyInterval,
} from './gpu-node.types.js';
export { startGpuNode } from './gpu-node.js';
export { cannedBrain, cannedIntroductionBrain } from './brains.js';
export { findOverlaps, type GpuNodeLogs, type Overlap } from './overlaps.js';
export {
  LAB_8GB_VRAM_MB,
  LAB_8GB_MODELS,
  LAB_8GB_BATCHED_MODELS,
  SPEACHES_BATCHING,
  OLLAMA_PARALLEL,
  withBatchingGains,
} from './lab-profiles.js';
export { throughputGain, perRequestRate } from './processor-sharing.js';
export { nodeFileEntry, type NodeFileEntry, type NodeFileGroup } from './node-file-entry.js';
