import { ErrorCode, IntroEvalError, type EngineProvenance } from '@introeval/contracts';
import { engineRequest, type RetryPolicy } from '@introeval/engine-http';
import { ConcurrencyLimiter } from '../http/concurrency-limiter.js';
import { leaseEpochHeader } from '../http/lease-epoch-header.js';
import { validateAnswer, type Validated } from '../http/validate-answer.js';
import type { OllamaChatAnswer, OllamaChatBody, OllamaMessage, OllamaTagsAnswer } from './ollama-api.types.js';

export interface OllamaClientOptions {
  /** Base URL of the Ollama server, e.g. `http://gpu-node:11434`. */
  url: string;
  /** Model tag, e.g. `mistral:7b-instruct-q4_K_M`. */
  model: string;
  /**
   * Context window, pinned: a request with another `num_ctx` makes Ollama reload the model (seconds), and the
   * default (2048) would silently cut a long transcript. Default 8192.
   */
  numCtx?: number;
  /** Fixed sampling seed: with temperature 0 the same transcript gets the same answer. Default 42. */
  seed?: number;
  /**
   * Most tokens one answer may have. A model that loops inside a JSON string would otherwise write until the
   * context is full; with a cap the answer ends, fails validation and gets its repair turn. Default 2048.
   */
  numPredict?: number;
  /** Budget of one HTTP call, including a cold model load (6-10 s on the lab's card). Default 120 000 ms. */
  timeoutMs?: number;
  /**
   * Requests in flight at once. Match the server's OLLAMA_NUM_PARALLEL: fewer leaves the GPU idle, more only queue
   * inside Ollama (and past OLLAMA_MAX_QUEUE it answers 503). Default 1, Ollama's own default.
   */
  concurrency?: number;
  /** Retries of a call on connection errors and 5xx/503 (queue full). Default 3. */
  retries?: number;
  /** Waits before the retries, ms; the last repeats. Default [500, 2000, 5000]. */
  backoffMs?: number[];
  /** Sent as `keep_alive` on every chat (how long the model stays loaded afterwards); Ollama's default when unset. */
  keepAlive?: string | number;
  /** Static extra headers, read for every attempt (a proxy's token, say). The lease epoch comes per call instead. */
  headers?: () => Record<string, string>;
  /** How long a looked-up model digest is trusted before it is read again (a re-pull changes it). Default 5 min. */
  digestTtlMs?: number;
}

/** Work and time one `chatJson` cost, summed over its calls (a repair turn included). */
export interface OllamaCallStats {
  promptTokens: number;
  evalTokens: number;
  /** Model load time Ollama reported; non-zero when the call had to load the model. */
  loadMs: number;
  totalMs: number;
  /** Whether the first answer was invalid and the value comes from the repair turn. */
  repaired: boolean;
}

export interface OllamaChatJsonRequest<T extends object> {
  system: string;
  user: string;
  /** JSON Schema of the answer: sent as `format` (constrained decoding). Describe it in `system` too. */
  schema: object;
  /** class-validator DTO every answer must pass. */
  dto: new () => T;
  /** Aborts the request in flight (or the wait for a slot). */
  signal?: AbortSignal;
  /** The GPU lease epoch the job runs under: sent as `X-Lease-Epoch` on each of this call's requests when not null. */
  epoch?: number | null;
}

const NS_PER_MS = 1e6;

/**
 * Client for one model on an Ollama server: structured answers (`chatJson`), model identity (`modelDigest`,
 * `provenance`), and explicit load/unload for the GPU phase switches. Decoding is pinned (temperature 0, fixed
 * seed, fixed context) so that every student of a class is judged the same way.
 */
export class OllamaClient {
  readonly model: string;
  private readonly baseUrl: string;
  private readonly numCtx: number;
  private readonly seed: number;
  private readonly numPredict: number;
  private readonly timeoutMs: number;
  private readonly retry: RetryPolicy;
  private readonly keepAlive: string | number | undefined;
  private readonly extraHeaders: () => Record<string, string>;
  private readonly digestTtlMs: number;
  private readonly limiter: ConcurrencyLimiter;
  private digest: { value: Promise<string | null>; at: number } | null = null;

  constructor(options: OllamaClientOptions) {
    this.baseUrl = options.url.replace(/\/+$/, '');
    this.model = options.model;
    this.numCtx = options.numCtx ?? 8192;
    this.seed = options.seed ?? 42;
    this.numPredict = options.numPredict ?? 2048;
    this.timeoutMs = options.timeoutMs ?? 120_000;
    this.retry = { retries: options.retries ?? 3, backoffMs: options.backoffMs ?? [500, 2000, 5000] };
    this.keepAlive = options.keepAlive;
    this.extraHeaders = options.headers ?? (() => ({}));
    this.digestTtlMs = options.digestTtlMs ?? 5 * 60_000;
    this.limiter = new ConcurrencyLimiter(options.concurrency ?? 1);
  }

  /**
   * Asks for one JSON object of the schema's shape and validates it with `dto`. An answer that does not parse or
   * validate gets one repair turn (the answer and its problems are sent back); if that fails too, the call rejects
   * with a permanent ENGINE_INVALID_OUTPUT: decoding is deterministic, so asking again would get the same answer.
   */
  async chatJson<T extends object>(request: OllamaChatJsonRequest<T>): Promise<{ value: T; stats: OllamaCallStats }> {
    const { schema, dto, signal } = request;
    const stamp = leaseEpochHeader(request.epoch);
    const messages: OllamaMessage[] = [
      { role: 'system', content: request.system },
      { role: 'user', content: request.user },
    ];
    const first = await this.chat(messages, schema, signal, stamp);
    const stats: OllamaCallStats = { ...first.stats, repaired: false };
    const checked = await this.check(first.content, dto);
    if (checked.ok) return { value: checked.value, stats };

    const repair: OllamaMessage[] = [
      ...messages,
      { role: 'assistant', content: first.content },
      { role: 'user', content: repairInstruction(checked.problems) },
    ];
    const second = await this.chat(repair, schema, signal, stamp);
    addStats(stats, second.stats);
    stats.repaired = true;
    const rechecked = await this.check(second.content, dto);
    if (rechecked.ok) return { value: rechecked.value, stats };
    throw IntroEvalError.permanent(
      ErrorCode.EngineInvalidOutput,
      `${this.model} gave an invalid answer twice (the second after a repair request): ` +
        rechecked.problems.join('; '),
    );
  }

  /**
   * The model's content digest (`sha256:<hex>`) from `/api/tags`, or null when the server does not list the model
   * (or cannot be asked right now: provenance must not fail a job). Looked up once per `digestTtlMs`.
   */
  async modelDigest(): Promise<string | null> {
    if (this.digest && Date.now() - this.digest.at < this.digestTtlMs) return this.digest.value;
    const lookup = this.lookupDigest();
    const entry = { value: lookup, at: Date.now() };
    this.digest = entry;
    const value = await lookup;
    // A failed lookup is not remembered: the next job asks again.
    if (value === null && this.digest === entry) this.digest = null;
    return value;
  }

  /**
   * Provenance of an answer produced with prompt `version`: engine `ollama`, the model tag and, where known, its
   * digest, both in `digest` and appended to the version (`extract-2026.1@sha256:0123456789ab`) so that a
   * re-pulled model shows as a different chain.
   */
  async provenance(version: string): Promise<EngineProvenance> {
    const digest = await this.modelDigest();
    if (digest === null) return { engine: 'ollama', model: this.model, version };
    return { engine: 'ollama', model: this.model, version: `${version}@${shortDigest(digest)}`, digest };
  }

  /** Loads the model now with the pinned context (so the first job's call does not reload it for another num_ctx). */
  async preload(signal?: AbortSignal): Promise<void> {
    const body = { model: this.model, messages: [], options: { num_ctx: this.numCtx }, ...this.keepAliveField() };
    await this.post('/api/chat', body, signal);
  }

  /** Unloads the model now (`keep_alive: 0`), freeing its VRAM for another residency group. */
  async unload(signal?: AbortSignal): Promise<void> {
    await this.post('/api/chat', { model: this.model, messages: [], keep_alive: 0 }, signal);
  }

  private async chat(
    messages: OllamaMessage[],
    schema: object,
    signal: AbortSignal | undefined,
    headers: Record<string, string>,
  ): Promise<{ content: string; stats: Omit<OllamaCallStats, 'repaired'> }> {
    const body: OllamaChatBody = {
      model: this.model,
      messages,
      format: schema,
      stream: false,
      options: { temperature: 0, seed: this.seed, num_ctx: this.numCtx, num_predict: this.numPredict },
      ...this.keepAliveField(),
    };
    const answer = (await this.limiter.run(() => this.post('/api/chat', body, signal, headers), signal)) as OllamaChatAnswer;
    const content = answer.message?.content;
    if (typeof content !== 'string') {
      throw new IntroEvalError(ErrorCode.EngineUnavailable, 'ollama POST /api/chat: the answer has no message', false);
    }
    return {
      content,
      stats: {
        promptTokens: answer.prompt_eval_count ?? 0,
        evalTokens: answer.eval_count ?? 0,
        loadMs: Math.round((answer.load_duration ?? 0) / NS_PER_MS),
        totalMs: Math.round((answer.total_duration ?? 0) / NS_PER_MS),
      },
    };
  }

  private async check<T extends object>(content: string, dto: new () => T): Promise<Validated<T>> {
    let parsed: unknown;
    try {
      parsed = JSON.parse(content);
    } catch (error) {
      return { ok: false, problems: [`the answer is not valid JSON (${(error as Error).message})`] };
    }
    return validateAnswer(dto, parsed, { forbidUnknown: true });
  }

  private async lookupDigest(): Promise<string | null> {
    try {
      const tags = (await this.get('/api/tags')) as OllamaTagsAnswer;
      const wanted = withTag(this.model);
      const entry = tags.models?.find((m) => withTag(m.name ?? m.model ?? '') === wanted);
      return typeof entry?.digest === 'string' && entry.digest.length > 0 ? withAlgorithm(entry.digest) : null;
    } catch {
      return null;
    }
  }

  private keepAliveField(): { keep_alive?: string | number } {
    return this.keepAlive === undefined ? {} : { keep_alive: this.keepAlive };
  }

  private get(path: string, signal?: AbortSignal): Promise<unknown> {
    return this.call('GET', path, undefined, signal);
  }

  private post(path: string, body: object, signal?: AbortSignal, headers: Record<string, string> = {}): Promise<unknown> {
    return this.call('POST', path, body, signal, headers);
  }

  private async call(
    method: 'GET' | 'POST',
    path: string,
    body: object | undefined,
    signal: AbortSignal | undefined,
    headers: Record<string, string> = {},
  ): Promise<unknown> {
    const what = `ollama ${method} ${path}`;
    const response = await engineRequest({
      what,
      url: `${this.baseUrl}${path}`,
      init: () => ({
        method,
        headers: { ...(body ? { 'content-type': 'application/json' } : {}), ...this.extraHeaders(), ...headers },
        body: body ? JSON.stringify(body) : undefined,
      }),
      timeoutMs: this.timeoutMs,
      retry: this.retry,
      signal,
    });
    try {
      return JSON.parse(response.body) as unknown;
    } catch (error) {
      throw new IntroEvalError(ErrorCode.EngineUnavailable, `${what}: the server's answer is not JSON`, false, {
        cause: error,
      });
    }
  }
}

function repairInstruction(problems: string[]): string {
  return [
    'Your answer above is not valid:',
    ...problems.map((problem) => `- ${problem}`),
    'Reply with the corrected JSON object only: the same schema, every field present, nothing else.',
  ].join('\n');
}

function addStats(total: OllamaCallStats, more: Omit<OllamaCallStats, 'repaired'>): void {
  total.promptTokens += more.promptTokens;
  total.evalTokens += more.evalTokens;
  total.loadMs += more.loadMs;
  total.totalMs += more.totalMs;
}

/** Ollama treats a name without a tag as `:latest`; compare names the same way (`host:port/` is no tag). */
function withTag(name: string): string {
  return name.slice(name.lastIndexOf('/') + 1).includes(':') ? name : `${name}:latest`;
}

/** `/api/tags` gives the bare hex; provenance names the algorithm, as image digests do. */
function withAlgorithm(digest: string): string {
  return digest.includes(':') ? digest : `sha256:${digest}`;
}

/** `sha256:` and the first 12 hex digits: enough to tell pulls apart in a version string. */
function shortDigest(digest: string): string {
  const [algorithm, hex] = digest.includes(':') ? digest.split(':', 2) : ['sha256', digest];
  return `${algorithm}:${hex.slice(0, 12)}`;
}
