import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { ErrorCode, IntroEvalError } from '@introeval/contracts';
import { eventually, freePort, startGpuNode, type BusyInterval, type GpuModelSpec, type GpuNodeHandle } from '@introeval/testing';
import { EXTRACTION_SYSTEM_PROMPT, extractionUserMessage } from '../extraction/extraction-prompt.js';
import { OllamaClient, type OllamaClientOptions } from './ollama.client.js';
import { ProfileAnswerDto } from '../extraction/profile-answer.dto.js';
import { PROFILE_JSON_SCHEMA } from '../extraction/profile.schema.js';
import { rulesBrain } from '../stand-in-brain/rules-brain.js';

// The client against the GPU-node stand-in, which speaks Ollama's HTTP API and answers extraction schemas with the
// rules engine. Simulated times are real seconds here (timeScale 1), kept short.

const MODEL = 'mistral:7b-instruct-q4_K_M';
/** A model whose requests take long enough to be caught in flight. */
const SLOW_MODEL = 'slow:7b';
/** A model only the load/unload test touches. */
const SPARE_MODEL = 'spare:3b';
const DIGEST = '0123456789abcdef'.repeat(4);

const MODELS: GpuModelSpec[] = [
  { name: MODEL, api: 'ollama', group: 'extract', vramMb: 3000, loadSec: 0.2, serviceSec: 0.15, maxConcurrency: 4, gainAtMax: 2, digest: DIGEST },
  { name: SLOW_MODEL, api: 'ollama', group: 'rate', vramMb: 3000, loadSec: 0, serviceSec: 600, maxConcurrency: 1, gainAtMax: 1 },
  { name: SPARE_MODEL, api: 'ollama', group: 'spare', vramMb: 1000, loadSec: 0.1, serviceSec: 1, maxConcurrency: 1, gainAtMax: 1 },
];

const TEXT = 'Hi, my name is Asha Rao. I study computer science at the City University and I know Python and SQL.';

function extraction(signal?: AbortSignal) {
  return {
    system: EXTRACTION_SYSTEM_PROMPT,
    user: extractionUserMessage(TEXT),
    schema: PROFILE_JSON_SCHEMA,
    dto: ProfileAnswerDto,
    signal,
  };
}

async function failure(promise: Promise<unknown>): Promise<IntroEvalError> {
  const error = await promise.then(
    () => new Error('expected the call to fail'),
    (e: unknown) => e,
  );
  if (!(error instanceof IntroEvalError)) throw error;
  return error;
}

/** Most requests the stand-in served at the same moment. */
function peakOverlap(intervals: BusyInterval[]): number {
  const edges = intervals.flatMap((b) => [
    { at: b.start, delta: 1 },
    { at: b.end ?? Infinity, delta: -1 },
  ]);
  // An end and a start at the same instant do not overlap: ends first.
  edges.sort((a, b) => a.at - b.at || a.delta - b.delta);
  let running = 0;
  let peak = 0;
  for (const edge of edges) peak = Math.max(peak, (running += edge.delta));
  return peak;
}

describe('OllamaClient (against the GPU-node stand-in)', () => {
  let node: GpuNodeHandle;
  const client = (options: Partial<OllamaClientOptions> = {}) =>
    new OllamaClient({ url: node.ollamaUrl, model: MODEL, backoffMs: [20], ...options });
  const chatRequests = () => node.requests().filter((r) => r.api === 'ollama' && r.path === '/api/chat');

  beforeAll(async () => {
    node = await startGpuNode({ vramMb: 8192, models: MODELS, brain: rulesBrain() });
  });
  afterAll(async () => {
    await node.close();
  });
  let before = 0;
  afterEach(() => {
    before = chatRequests().length;
  });
  const newChats = () => chatRequests().slice(before);

  it('asks for schema-constrained JSON with pinned decoding, and validates the answer', async () => {
    const ollama = client({ headers: () => ({ 'X-Proxy-Token': 't-1' }) });
    const { value, stats } = await ollama.chatJson({ ...extraction(), epoch: 7 });

    expect(value).toBeInstanceOf(ProfileAnswerDto);
    expect(value.skills).toEqual(expect.arrayContaining(['Python', 'SQL']));
    expect(newChats().map((r) => r.body)).toEqual([
      {
        model: MODEL,
        messages: [
          { role: 'system', content: EXTRACTION_SYSTEM_PROMPT },
          { role: 'user', content: `<transcript>\n${TEXT}\n</transcript>` },
        ],
        format: PROFILE_JSON_SCHEMA,
        stream: false,
        options: { temperature: 0, seed: 42, num_ctx: 8192, num_predict: 2048 },
      },
    ]);
    expect(stats.repaired).toBe(false);
    expect(stats.promptTokens).toBeGreaterThan(0);
    expect(stats.evalTokens).toBeGreaterThan(0);
    // The first request found the model unloaded and waited for its load.
    expect(stats.loadMs).toBeGreaterThan(0);

    // The epoch is per call (each job carries the one it was pulled under); static headers go on every request.
    const again = await ollama.chatJson({ ...extraction(), epoch: 8 });
    expect(again.stats.loadMs).toBe(0);
    const ungated = await ollama.chatJson({ ...extraction(), epoch: null });
    expect(ungated.value.skills).toEqual(value.skills);
    expect(node.busyIntervals().map((b) => b.epoch).slice(-3)).toEqual([7, 8, null]);
    expect(newChats().map((r) => r.headers['x-proxy-token'])).toEqual(['t-1', 't-1', 't-1']);
  });

  it('sends keep_alive when configured', async () => {
    await client({ keepAlive: '10m', seed: 7, numCtx: 4096 }).chatJson(extraction());
    expect(newChats()[0].body).toMatchObject({ keep_alive: '10m', options: { seed: 7, num_ctx: 4096 } });
  });

  it('repairs an answer that is not JSON with one more turn', async () => {
    node.inject({ api: 'ollama', path: '/api/chat', kind: 'invalid-json' });
    const { value, stats } = await client().chatJson(extraction());

    expect(value.skills).toEqual(expect.arrayContaining(['Python', 'SQL']));
    expect(stats.repaired).toBe(true);
    const [first, repair] = newChats().map((r) => r.body as { messages: { role: string; content: string }[] });
    expect(repair.messages.slice(0, 2)).toEqual(first.messages);
    expect(repair.messages[2].role).toBe('assistant');
    expect(() => JSON.parse(repair.messages[2].content) as unknown).toThrow();
    expect(repair.messages[3].role).toBe('user');
    expect(repair.messages[3].content).toMatch(/^Your answer above is not valid:\n- the answer is not valid JSON/);
    expect(repair.messages).toHaveLength(4);
  });

  it('fails with a permanent ENGINE_INVALID_OUTPUT when the repair is invalid too', async () => {
    node.inject({ api: 'ollama', path: '/api/chat', kind: 'invalid-json', times: 2 });
    const error = await failure(client().chatJson(extraction()));

    expect(error.code).toBe(ErrorCode.EngineInvalidOutput);
    expect(error.permanent).toBe(true);
    expect(error.message).toContain(`${MODEL} gave an invalid answer twice`);
    expect(error.message).toContain('not valid JSON');
    expect(newChats()).toHaveLength(2);
  });

  it('retries a full queue (503) and succeeds', async () => {
    node.inject({ api: 'ollama', path: '/api/chat', kind: 'status', status: 503, body: { error: 'server busy' }, times: 2 });
    const { value } = await client().chatJson(extraction());

    expect(value.skills.length).toBeGreaterThan(0);
    expect(newChats()).toHaveLength(3);
  });

  it('gives up after its retries with a transient ENGINE_UNAVAILABLE that quotes the server', async () => {
    node.inject({ api: 'ollama', path: '/api/chat', kind: 'status', status: 503, body: { error: 'server busy' }, times: 3 });
    const error = await failure(client({ retries: 2 }).chatJson(extraction()));

    expect(error.code).toBe(ErrorCode.EngineUnavailable);
    expect(error.permanent).toBe(false);
    expect(error.message).toBe('ollama POST /api/chat: answered 503: server busy (3 attempts)');
    expect(newChats()).toHaveLength(3);
  });

  it('retries a reset connection', async () => {
    node.inject({ api: 'ollama', path: '/api/chat', kind: 'reset' });
    const { value } = await client().chatJson(extraction());

    expect(value.skills.length).toBeGreaterThan(0);
    expect(newChats()).toHaveLength(2);
  });

  it('retries a refused connection until the server is up', async () => {
    const port = await freePort();
    let attempts = 0;
    const ollama = new OllamaClient({
      url: `http://127.0.0.1:${port}`,
      model: MODEL,
      retries: 100,
      backoffMs: [50],
      headers: () => ({ 'X-Attempt': String(++attempts) }),
    });
    const call = ollama.chatJson(extraction());
    // Two attempts made means at least one was refused: nothing listens on the port yet.
    await eventually(() => attempts >= 2, { what: 'a refused attempt' });
    const late = await startGpuNode({ vramMb: 8192, models: MODELS, brain: rulesBrain(), ollamaPort: port });
    try {
      const { value } = await call;
      expect(value.skills.length).toBeGreaterThan(0);
      expect(late.requests().filter((r) => r.path === '/api/chat')).toHaveLength(1);
    } finally {
      await late.close();
    }
  });

  it('reports a refused connection as ENGINE_UNAVAILABLE once its retries are spent', async () => {
    const port = await freePort();
    const error = await failure(
      new OllamaClient({ url: `http://127.0.0.1:${port}`, model: MODEL, retries: 1, backoffMs: [1] }).chatJson(extraction()),
    );
    expect(error.code).toBe(ErrorCode.EngineUnavailable);
    expect(error.permanent).toBe(false);
    expect(error.message).toBe(`ollama POST /api/chat: cannot reach http://127.0.0.1:${port}: ECONNREFUSED (2 attempts)`);
  });

  it('times out a hung call without retrying it', async () => {
    node.inject({ api: 'ollama', path: '/api/chat', kind: 'hang' });
    const error = await failure(client({ timeoutMs: 300 }).chatJson(extraction()));

    expect(error.code).toBe(ErrorCode.EngineUnavailable);
    expect(error.permanent).toBe(false);
    expect(error.message).toBe('ollama POST /api/chat: no answer within 300 ms');
    expect(newChats()).toHaveLength(1);
  });

  it('does not retry a request the server refuses (model not found): INTERNAL, transient', async () => {
    const error = await failure(client({ model: 'missing:7b' }).chatJson(extraction()));

    expect(error.code).toBe(ErrorCode.Internal);
    expect(error.permanent).toBe(false);
    expect(error.message).toBe('ollama POST /api/chat: answered 404: model "missing:7b" not found, try pulling it first');
    expect(newChats()).toHaveLength(1);
  });

  it('aborts the request in flight when the signal fires', async () => {
    const controller = new AbortController();
    const call = client({ model: SLOW_MODEL }).chatJson(extraction(controller.signal));
    await eventually(() => node.busyIntervals().some((b) => b.model === SLOW_MODEL && b.end === null), {
      what: 'the request in service',
    });
    controller.abort(new Error('stage deadline'));

    await expect(call).rejects.toThrow('stage deadline');
    // The server saw the client go away: the request left service, cancelled.
    const served = await eventually(() => node.busyIntervals().find((b) => b.model === SLOW_MODEL && b.end !== null));
    expect(served.cancelled).toBe(true);
  });

  it('keeps exactly `concurrency` requests in flight, never more', async () => {
    const ollama = client({ concurrency: 2 });
    const start = node.busyIntervals().length;
    const answers = await Promise.all(Array.from({ length: 6 }, () => ollama.chatJson(extraction())));

    expect(answers).toHaveLength(6);
    const served = node.busyIntervals().slice(start);
    expect(served).toHaveLength(6);
    // The server takes 4 at once: the limit, not the server, held it at 2, and it did use both slots.
    expect(peakOverlap(served)).toBe(2);
  });

  it('looks the digest up in /api/tags once and puts it in the provenance', async () => {
    const ollama = client();
    const tagsBefore = node.requests().filter((r) => r.path === '/api/tags').length;
    expect(await ollama.modelDigest()).toBe(`sha256:${DIGEST}`);
    expect(await ollama.provenance('extract-2026.1')).toEqual({
      engine: 'ollama',
      model: MODEL,
      version: 'extract-2026.1@sha256:0123456789ab',
      digest: `sha256:${DIGEST}`,
    });
    expect(node.requests().filter((r) => r.path === '/api/tags').length - tagsBefore).toBe(1);
  });

  it('records no digest for a model the server does not list', async () => {
    expect(await client({ model: 'missing:7b' }).provenance('extract-2026.1')).toEqual({
      engine: 'ollama',
      model: 'missing:7b',
      version: 'extract-2026.1',
    });
  });

  it('preloads with the pinned context and unloads with keep_alive 0', async () => {
    const ollama = client({ model: SPARE_MODEL, numCtx: 4096 });
    expect(node.residency().filter((r) => r.model === SPARE_MODEL)).toEqual([]);
    await ollama.preload();
    const [loaded] = node.residency().filter((r) => r.model === SPARE_MODEL);
    expect(loaded.loadedAt).not.toBeNull();
    expect(loaded.unloadedAt).toBeNull();

    await ollama.unload();
    await eventually(() => node.residency().filter((r) => r.model === SPARE_MODEL).at(-1)?.unloadedAt !== null, {
      what: 'the model unloaded',
    });
    const bodies = chatRequests()
      .filter((r) => (r.body as { model: string }).model === SPARE_MODEL)
      .slice(-2)
      .map((r) => r.body);
    expect(bodies).toEqual([
      { model: SPARE_MODEL, messages: [], options: { num_ctx: 4096 } },
      { model: SPARE_MODEL, messages: [], keep_alive: 0 },
    ]);
  });
});
