import { afterEach, describe, expect, it } from '@jest/globals';
import { eventually } from '../eventually.js';
import { startGpuNode } from './gpu-node.js';
import type { GpuNodeHandle, GpuNodeOptions } from './gpu-node.types.js';
import { CANNED_ANSWER, LLAMA3, MISTRAL, WHISPER, chatBody, getJson, postJson, testBrain } from './gpu-node.fixture.js';

describe('GPU-node stand-in: Ollama API', () => {
  let node: GpuNodeHandle;
  const start = async (options: Partial<GpuNodeOptions> = {}) => {
    node = await startGpuNode({ vramMb: 8192, models: [WHISPER, MISTRAL, LLAMA3], timeScale: 1000, brain: testBrain(),
      // An hour (3.6 s real) unless a test says otherwise: no model expires between two calls of a test.
      ollamaKeepAliveSec: 3600, speachesTtlSec: 3600, ...options });
    return node;
  };
  afterEach(async () => {
    await node?.close();
  });

  it('lists its models (/api/tags, /api/show) and answers unknown ones as Ollama does', async () => {
    await start();
    const tags = (await getJson(`${node.ollamaUrl}/api/tags`)) as { models: { name: string }[] };
    expect(tags.models.map((m) => m.name)).toEqual([MISTRAL.name, LLAMA3.name]);
    expect(tags.models[0]).toMatchObject({ size: 5100 * 1024 * 1024, digest: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect((await postJson(`${node.ollamaUrl}/api/show`, { model: LLAMA3.name })).json.details).toMatchObject({ family: 'llama' });
    expect(await postJson(`${node.ollamaUrl}/api/show`, { model: 'nope' })).toMatchObject({ status: 404, json: { error: "model 'nope' not found" } });
    expect(await postJson(`${node.ollamaUrl}/api/chat`, chatBody('phi3'))).toMatchObject({
      status: 404,
      json: { error: 'model "phi3" not found, try pulling it first' },
    });
    expect(await postJson(`${node.ollamaUrl}/api/chat`, { messages: [] })).toMatchObject({ status: 400, json: { error: 'model is required' } });
    expect((await fetch(`${node.ollamaUrl}/`)).status).toBe(200);
  });

  it('loads on an empty request, shows the model in /api/ps, and unloads on keep_alive 0', async () => {
    await start();
    const loaded = await postJson(`${node.ollamaUrl}/api/chat`, { model: MISTRAL.name, messages: [] });
    expect(loaded.json).toMatchObject({ model: MISTRAL.name, message: { role: 'assistant', content: '' }, done_reason: 'load', done: true });
    const ps = await getJson(`${node.ollamaUrl}/api/ps`);
    expect(ps.models).toEqual([
      expect.objectContaining({ name: MISTRAL.name, model: MISTRAL.name, size_vram: 5100 * 1024 * 1024, expires_at: expect.any(String) }),
    ]);
    expect(node.usedVramMb()).toBe(5100);

    const unloaded = await postJson(`${node.ollamaUrl}/api/generate`, { model: MISTRAL.name, keep_alive: 0 });
    expect(unloaded.json).toMatchObject({ response: '', done_reason: 'unload', done: true });
    expect((await getJson(`${node.ollamaUrl}/api/ps`)).models).toEqual([]);
    expect(node.usedVramMb()).toBe(0);
    const [r] = node.residency();
    expect(r.loadedAt! - r.loadStart).toBeCloseTo(MISTRAL.loadSec, 9);
    expect(node.loads()).toBe(1);
  });

  it('answers a chat with Ollama fields; its timings are the simulated load and service', async () => {
    await start();
    const { status, json } = await postJson(`${node.ollamaUrl}/api/chat`, chatBody(MISTRAL.name), { headers: { 'X-Lease-Epoch': '7' } });
    expect(status).toBe(200);
    expect(json).toMatchObject({ model: MISTRAL.name, message: { role: 'assistant', content: CANNED_ANSWER }, done: true, done_reason: 'stop' });
    expect(json.created_at).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect(json.eval_count).toBeGreaterThan(0);
    expect(json.prompt_eval_count).toBeGreaterThan(0);
    // It arrived cold: it waited for the load, then took exactly serviceSec.
    expect(json.total_duration - json.load_duration).toBeCloseTo(MISTRAL.serviceSec * 1e9, -3);
    expect(json.prompt_eval_duration + json.eval_duration).toBeCloseTo(MISTRAL.serviceSec * 1e9, -3);
    expect(json.load_duration).toBeGreaterThan(0);

    const [busy] = node.busyIntervals();
    expect(busy).toMatchObject({ model: MISTRAL.name, group: 'extract', epoch: 7, cancelled: false });
    expect(busy.start).toBeCloseTo(node.residency()[0].loadedAt!, 9);
    expect(busy.end! - busy.start).toBeCloseTo(MISTRAL.serviceSec, 9);

    // Warm now: no load in the second answer. No epoch header, no epoch.
    const warm = await postJson(`${node.ollamaUrl}/api/chat`, chatBody(MISTRAL.name));
    expect(warm.json.load_duration).toBe(0);
    expect(node.busyIntervals()[1].epoch).toBeNull();
    expect(node.loads()).toBe(1);
  });

  it('records each request exactly as sent', async () => {
    await start();
    const body = chatBody(MISTRAL.name, { options: { temperature: 0, seed: 42, num_ctx: 8192 }, keep_alive: '10m' });
    await postJson(`${node.ollamaUrl}/api/chat`, body, { headers: { 'X-Lease-Epoch': '3' } });
    const [recorded] = node.requests();
    expect(recorded).toMatchObject({ api: 'ollama', method: 'POST', path: '/api/chat', body });
    expect(recorded.headers['x-lease-epoch']).toBe('3');
  });

  it('streams NDJSON by default, ending with a done chunk that carries the statistics', async () => {
    await start();
    const response = await fetch(`${node.ollamaUrl}/api/generate`, {
      method: 'POST',
      body: JSON.stringify({ model: LLAMA3.name, prompt: '<transcript>hi</transcript>' }),
    });
    expect(response.headers.get('content-type')).toBe('application/x-ndjson');
    const chunks = (await response.text())
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { done: boolean; response: string });
    const last = chunks.pop();
    expect(chunks.every((c) => c.done === false)).toBe(true);
    expect(chunks.map((c) => c.response).join('')).toBe(CANNED_ANSWER);
    expect(last).toMatchObject({ done: true, done_reason: 'stop', response: '', eval_count: expect.any(Number) });
  });

  it('unloads on keep_alive 0 only when the running request is done; it stays in /api/ps until then', async () => {
    await start({ models: [{ ...MISTRAL, serviceSec: 1000 }] }); // 1 s real
    const running = postJson(`${node.ollamaUrl}/api/chat`, chatBody(MISTRAL.name));
    await eventually(() => node.busyIntervals().length === 1, { what: 'the chat to start' });
    expect((await postJson(`${node.ollamaUrl}/api/chat`, { model: MISTRAL.name, messages: [], keep_alive: 0 })).json.done_reason).toBe('unload');
    expect((await getJson(`${node.ollamaUrl}/api/ps`)).models).toHaveLength(1);
    expect((await running).status).toBe(200);
    await eventually(async () => (await getJson(`${node.ollamaUrl}/api/ps`)).models.length === 0, { what: 'the unload' });
    expect(node.residency()[0].unloadedAt).toBeCloseTo(node.busyIntervals()[0].end!, 9);
  });

  it('unloads by itself keep_alive after the last request (simulated), and never with a negative keep_alive', async () => {
    await start({ timeScale: 100 });
    await postJson(`${node.ollamaUrl}/api/chat`, chatBody(MISTRAL.name, { keep_alive: '60s' }));
    const ps = await getJson(`${node.ollamaUrl}/api/ps`);
    expect(ps.models[0].name).toBe(MISTRAL.name); // 60 simulated seconds = 0.6 s real
    await eventually(() => node.residency()[0].unloadedAt !== null, { what: 'keep-alive expiry' });
    expect(node.residency()[0].unloadedAt! - node.busyIntervals()[0].end!).toBeCloseTo(60, 9);

    await postJson(`${node.ollamaUrl}/api/chat`, { model: LLAMA3.name, messages: [], keep_alive: -1 });
    const forever = (await getJson(`${node.ollamaUrl}/api/ps`)).models[0];
    expect(new Date(forever.expires_at).getFullYear()).toBeGreaterThan(2200);
  });

  it('answers 503 when more requests are pending than maxQueue', async () => {
    await start({ models: [{ ...MISTRAL, loadSec: 100_000, maxQueue: 2 }] }); // loads for 100 s real: all wait
    const gone = new AbortController();
    const pending = [1, 2].map(() => postJson(`${node.ollamaUrl}/api/chat`, chatBody(MISTRAL.name), { signal: gone.signal }).catch(() => null));
    await eventually(() => node.requests().length === 2, { what: 'two queued requests' });
    const third = await postJson(`${node.ollamaUrl}/api/chat`, chatBody(MISTRAL.name));
    expect(third).toMatchObject({ status: 503, json: { error: 'server busy, please try again.  maximum pending requests exceeded' } });
    gone.abort();
    await Promise.all(pending);
  });
});
