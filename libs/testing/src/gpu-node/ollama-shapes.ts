// Pieces of Ollama's wire format that do not depend on the node's state.
import { createHash } from 'node:crypto';
import type { GpuModelSpec } from './gpu-node.types.js';

const GO_UNITS: Record<string, number> = { ns: 1e-9, us: 1e-6, µs: 1e-6, μs: 1e-6, ms: 1e-3, s: 1, m: 60, h: 3600 };

/**
 * Ollama's `keep_alive`: a number is seconds, a string is a Go duration ("5m", "1h30m", "0"); any negative value
 * means forever (returned as -1). Returns undefined when absent, and throws on a value Ollama would reject.
 */
export function parseKeepAlive(value: unknown): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'number' && Number.isFinite(value)) return value < 0 ? -1 : value;
  if (typeof value === 'string') {
    const sec = parseGoDuration(value);
    return sec < 0 ? -1 : sec;
  }
  throw new Error(`invalid keep_alive: ${JSON.stringify(value)}`);
}

function parseGoDuration(text: string): number {
  const s = text.trim();
  if (s === '0' || s === '+0' || s === '-0') return 0;
  const m = /^([+-]?)((?:(?:\d+(?:\.\d*)?|\.\d+)(?:ns|us|µs|μs|ms|s|m|h))+)$/.exec(s);
  if (!m) throw new Error(`time: invalid duration "${text}"`);
  let total = 0;
  for (const part of m[2].matchAll(/(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h)/g)) total += Number(part[1]) * GO_UNITS[part[2]];
  return m[1] === '-' ? -total : total;
}

/** The digest a model shows: its spec's, or a stable hash of its name. */
export function modelDigest(spec: GpuModelSpec): string {
  return spec.digest ?? createHash('sha256').update(spec.name).digest('hex');
}

/** `details` as /api/tags, /api/ps and /api/show give it, read from the name ('llama3:8b-instruct-q4_K_M'). */
export function modelDetails(spec: GpuModelSpec): Record<string, unknown> {
  const [base, tag = 'latest'] = spec.name.split(':');
  const family = /^[a-z]+/i.exec(base.slice(base.lastIndexOf('/') + 1))?.[0]?.toLowerCase() ?? 'llama';
  const size = /(\d+(?:\.\d+)?)b\b/i.exec(tag)?.[1];
  const quant = /\b(q\d\w*|f16|fp16)$/i.exec(tag)?.[1];
  return {
    parent_model: '',
    format: 'gguf',
    family,
    families: [family],
    parameter_size: size ? `${size}B` : '',
    quantization_level: quant ? quant.toUpperCase() : '',
  };
}

export function sizeBytes(spec: GpuModelSpec): number {
  return spec.vramMb * 1024 * 1024;
}

/** About four characters per token, as tokenizers of these models average on English text. */
export function estimateTokens(text: string): number {
  return Math.max(1, Math.ceil(text.length / 4));
}

/** Published 8 GB-card speeds for an 8B Q4 model: prompt ~2400 tokens/s, generation ~67 tokens/s. */
const PROMPT_TOKENS_PER_SEC = 2400;
const EVAL_TOKENS_PER_SEC = 67;

/** Ollama's timing fields (nanoseconds) for one request, in simulated time. */
export function timingFields(t: {
  arrivedAt: number;
  startedAt: number;
  endedAt: number;
  loadWaitSec: number;
  promptTokens: number;
  evalTokens: number;
}): Record<string, number> {
  const ns = (sec: number) => Math.max(0, Math.round(sec * 1e9));
  const service = t.endedAt - t.startedAt;
  // The service time is the model's; split it the way prompt reading and generation share it on a real card.
  const promptWeight = t.promptTokens / PROMPT_TOKENS_PER_SEC;
  const evalWeight = t.evalTokens / EVAL_TOKENS_PER_SEC;
  const promptShare = promptWeight / (promptWeight + evalWeight);
  return {
    total_duration: ns(t.endedAt - t.arrivedAt),
    load_duration: ns(t.loadWaitSec),
    prompt_eval_count: t.promptTokens,
    prompt_eval_duration: ns(service * promptShare),
    eval_count: t.evalTokens,
    eval_duration: ns(service * (1 - promptShare)),
  };
}
