import { afterEach, describe, expect, it } from '@jest/globals';
import { ErrorCode } from '@introeval/contracts';
import { cannedBrain, eventually, freePort, startGpuNode, type GpuModelSpec, type GpuNodeHandle, type GpuNodeOptions } from '@introeval/testing';
import { OllamaModelDriver, type OllamaModelDriverOptions } from './ollama-model.driver.js';

const MISTRAL: GpuModelSpec = {
  name: 'mistral:7b-instruct-q4_K_M',
  api: 'ollama',
  group: 'extract',
  vramMb: 5100,
  loadSec: 0.2,
  serviceSec: 0.8,
  maxConcurrency: 1,
  gainAtMax: 1,
};
const LLAMA: GpuModelSpec = { ...MISTRAL, name: 'llama3:8b-instruct-q4_K_M', group: 'rate', vramMb: 5600 };
const BRAIN = cannedBrain({ transcript: { text: 'hello', language: 'en', durationSec: 1, words: [] }, chat: () => '{"ok":true}' });

// Against the GPU-node stand-in: Ollama's HTTP API over one simulated 8 GB card (times at real speed here).
describe('OllamaModelDriver', () => {
  let node: GpuNodeHandle | undefined;

  afterEach(async () => {
    await node?.close();
    node = undefined;
  });

  async function startNode(options: Partial<GpuNodeOptions> = {}): Promise<GpuNodeHandle> {
    node = await startGpuNode({ vramMb: 8192, models: [MISTRAL, LLAMA], brain: BRAIN, ...options });
    return node;
  }

  function driver(model: GpuModelSpec, options: Partial<OllamaModelDriverOptions> = {}): OllamaModelDriver {
    return new OllamaModelDriver({ url: node!.ollamaUrl, models: [model.name], pollMs: 25, timeoutMs: 10_000, settleMs: 0, ...options });
  }

  async function psNames(): Promise<string[]> {
    const { models } = (await (await fetch(`${node!.ollamaUrl}/api/ps`)).json()) as { models: { name: string }[] };
    return models.map((m) => m.name);
  }

  const generateBodies = () => node!.requests().filter((r) => r.path === '/api/generate').map((r) => r.body);

  it('loads with an empty generate and keep_alive -1, so Ollama’s own idle expiry does not unload it', async () => {
    await startNode({ ollamaKeepAliveSec: 0.2 });
    const extract = driver(MISTRAL);

    await extract.load();
    await new Promise((resolve) => setTimeout(resolve, 500)); // past the node's 0.2 s default keep-alive

    expect(generateBodies()).toEqual([{ model: MISTRAL.name, keep_alive: -1, stream: false }]);
    expect(await psNames()).toEqual([MISTRAL.name]);
    expect(await extract.loaded()).toBe(true);
  });

  it('unloads with keep_alive 0 and returns once /api/ps no longer lists the model', async () => {
    await startNode();
    const extract = driver(MISTRAL);
    await extract.load();

    await extract.unload();

    expect(generateBodies().at(-1)).toEqual({ model: MISTRAL.name, keep_alive: 0, stream: false });
    expect(await psNames()).toEqual([]);
    expect(node!.residency()).toEqual([expect.objectContaining({ model: MISTRAL.name, unloadedAt: expect.any(Number) })]);
    expect(await extract.loaded()).toBe(false);
  });

  it('an unload while a request runs returns only after that request finished (and it was not cut short)', async () => {
    await startNode();
    const extract = driver(MISTRAL);
    await extract.load();
    const running = fetch(`${node!.ollamaUrl}/api/generate`, {
      method: 'POST',
      body: JSON.stringify({ model: MISTRAL.name, prompt: 'extract the profile', stream: false }),
    });
    await eventually(() => node!.busyIntervals().length === 1, { what: 'the request to start' });

    await extract.unload();

    const [interval] = node!.busyIntervals();
    expect(interval).toMatchObject({ model: MISTRAL.name, cancelled: false, end: expect.any(Number) });
    expect((await running).status).toBe(200);
    expect(await psNames()).toEqual([]);
  });

  it('with settleMs covering the card’s unload lag, the next group loads without a single out-of-memory', async () => {
    await startNode({ unloadLagSec: 0.4 });
    await driver(MISTRAL, { settleMs: 600 }).load();

    await driver(MISTRAL, { settleMs: 600 }).unload();
    await driver(LLAMA).load();

    expect(node!.oomErrors()).toBe(0);
    expect(await psNames()).toEqual([LLAMA.name]);
  });

  it('without a settle, a load inside the lag fails out of memory and is retried until the card is free', async () => {
    await startNode({ unloadLagSec: 1.5 });
    await driver(MISTRAL).load();
    await driver(MISTRAL).unload();

    await driver(LLAMA).load();

    expect(node!.oomErrors()).toBeGreaterThan(0);
    expect(await psNames()).toEqual([LLAMA.name]);
  });

  it('unload of a group that is not resident sends nothing and does not wait', async () => {
    await startNode({ unloadLagSec: 5 });

    await driver(MISTRAL, { settleMs: 60_000 }).unload();

    expect(generateBodies()).toEqual([]);
  });

  it('retries through a reset connection and a 503 (Ollama restarting or busy)', async () => {
    await startNode();
    node!.inject({ api: 'ollama', path: '/api/generate', kind: 'reset' });
    node!.inject({ api: 'ollama', path: '/api/generate', kind: 'status', status: 503, body: { error: 'server busy' } });

    await driver(MISTRAL).load();

    expect(generateBodies()).toHaveLength(3);
    expect(await psNames()).toEqual([MISTRAL.name]);
  });

  it('retries while nothing listens yet, and loads once Ollama is up', async () => {
    const port = await freePort();
    const extract = new OllamaModelDriver({ url: `http://127.0.0.1:${port}`, models: [MISTRAL.name], pollMs: 25, timeoutMs: 10_000 });
    const loading = extract.load();
    await new Promise((resolve) => setTimeout(resolve, 200));

    await startNode({ ollamaPort: port });
    await loading;

    expect(await psNames()).toEqual([MISTRAL.name]);
  });

  it('fails with RESIDENCY_TIMEOUT when the load does not finish in time', async () => {
    await startNode({ models: [{ ...MISTRAL, loadSec: 30 }] });

    const error = await driver(MISTRAL, { timeoutMs: 300 }).load().catch((e: unknown) => e);

    expect(error).toMatchObject({ code: ErrorCode.ResidencyTimeout, permanent: false });
    expect((error as Error).message).toMatch(/^loading ollama mistral:7b-instruct-q4_K_M at http:\/\/127\.0\.0\.1:\d+: not done within 300 ms/);
  });

  it('fails with RESIDENCY_TIMEOUT naming the model still listed when a request outlasts the unload', async () => {
    await startNode({ models: [{ ...MISTRAL, serviceSec: 30 }] });
    await driver(MISTRAL).load();
    void fetch(`${node!.ollamaUrl}/api/generate`, {
      method: 'POST',
      body: JSON.stringify({ model: MISTRAL.name, prompt: 'a long one', stream: false }),
    }).catch(() => undefined);
    await eventually(() => node!.busyIntervals().length === 1, { what: 'the request to start' });

    const error = await driver(MISTRAL, { timeoutMs: 300 }).unload().catch((e: unknown) => e);

    expect(error).toMatchObject({ code: ErrorCode.ResidencyTimeout });
    expect((error as Error).message).toContain(`last seen: ${MISTRAL.name} still listed by /api/ps`);
  });

  it('refuses at once when Ollama does not know the model', async () => {
    await startNode();

    const error = await driver({ ...MISTRAL, name: 'mistral:no-such-tag' }, { timeoutMs: 30_000 }).load().catch((e: unknown) => e);

    expect(error).toMatchObject({ code: ErrorCode.ResidencyRefused, permanent: true });
    expect((error as Error).message).toContain('404');
    expect(generateBodies()).toHaveLength(1);
  });

  it('stops when aborted, with the abort reason', async () => {
    await startNode({ models: [{ ...MISTRAL, loadSec: 30 }] });
    const controller = new AbortController();
    const loading = driver(MISTRAL).load(controller.signal);
    setTimeout(() => controller.abort(new Error('lost leadership')), 100);

    await expect(loading).rejects.toThrow('lost leadership');
  });

  it('compares names as Ollama does: an untagged name matches the :latest that /api/ps lists', async () => {
    await startNode({ models: [{ ...MISTRAL, name: 'mistral:latest' }] });
    const extract = new OllamaModelDriver({ url: node!.ollamaUrl, models: ['mistral'], pollMs: 25, settleMs: 0 });

    await extract.load();
    expect(await extract.loaded()).toBe(true);
    await extract.unload();
    expect(await extract.loaded()).toBe(false);
  });

  it('loaded() reports an unreachable Ollama as ENGINE_UNAVAILABLE rather than guessing', async () => {
    const port = await freePort();
    const extract = new OllamaModelDriver({ url: `http://127.0.0.1:${port}`, models: [MISTRAL.name] });

    await expect(extract.loaded()).rejects.toMatchObject({ code: ErrorCode.EngineUnavailable });
  });

  it('reports as resident what /api/ps lists of its own models, with the VRAM Ollama says they hold', async () => {
    await startNode();
    const extract = driver(MISTRAL);
    const rate = driver(LLAMA);
    expect(await extract.resident()).toEqual([]);
    await extract.load();
    // The rating group's driver asks the same server, and reports only its own model: not resident.
    expect(await extract.resident()).toEqual([{ model: MISTRAL.name, vramMb: 5100 }]);
    expect(await rate.resident()).toEqual([]);
    await extract.unload();
    expect(await extract.resident()).toEqual([]);
  });

  it('reports ENGINE_UNAVAILABLE, not "nothing resident", when the server cannot be reached', async () => {
    const gone = new OllamaModelDriver({ url: `http://127.0.0.1:${await freePort()}`, models: [MISTRAL.name], timeoutMs: 500 });
    await expect(gone.resident()).rejects.toMatchObject({ code: ErrorCode.EngineUnavailable });
  });
});
