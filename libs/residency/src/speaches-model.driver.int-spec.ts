import { afterEach, describe, expect, it } from '@jest/globals';
import { ErrorCode } from '@introeval/contracts';
import { cannedBrain, eventually, startGpuNode, type GpuModelSpec, type GpuNodeHandle, type GpuNodeOptions } from '@introeval/testing';
import { SpeachesModelDriver, type SpeachesModelDriverOptions } from './speaches-model.driver.js';

const WHISPER: GpuModelSpec = {
  name: 'Systran/faster-whisper-large-v2',
  api: 'speaches',
  group: 'stt',
  vramMb: 4500,
  loadSec: 0.2,
  serviceSec: 0.8,
  maxConcurrency: 1,
  gainAtMax: 1,
};
const MODEL_PATH = '/api/ps/Systran/faster-whisper-large-v2';
const BRAIN = cannedBrain({ transcript: { text: 'hello there', language: 'en', durationSec: 2, words: [] }, chat: () => '{}' });

// Against the GPU-node stand-in: speaches' HTTP API over one simulated card (times at real speed here).
describe('SpeachesModelDriver', () => {
  let node: GpuNodeHandle | undefined;

  afterEach(async () => {
    await node?.close();
    node = undefined;
  });

  async function startNode(options: Partial<GpuNodeOptions> = {}): Promise<GpuNodeHandle> {
    node = await startGpuNode({ vramMb: 8192, models: [WHISPER], brain: BRAIN, ...options });
    return node;
  }

  function driver(options: Partial<SpeachesModelDriverOptions> = {}): SpeachesModelDriver {
    return new SpeachesModelDriver({ url: node!.speachesUrl, models: [WHISPER.name], pollMs: 25, timeoutMs: 10_000, settleMs: 0, ...options });
  }

  async function psModels(): Promise<string[]> {
    return ((await (await fetch(`${node!.speachesUrl}/api/ps`)).json()) as { models: string[] }).models;
  }

  function transcribe(): Promise<Response> {
    const form = new FormData();
    form.append('file', new Blob([Buffer.alloc(3200)], { type: 'audio/wav' }), 'audio.wav');
    form.append('model', WHISPER.name);
    return fetch(`${node!.speachesUrl}/v1/audio/transcriptions`, { method: 'POST', body: form });
  }

  const calls = (method: string) => node!.requests().filter((r) => r.method === method && r.path === MODEL_PATH);

  it('loads with POST /api/ps/{model}, keeping the slash of the model id in the path', async () => {
    await startNode();
    const stt = driver();

    await stt.load();

    expect(calls('POST')).toHaveLength(1);
    expect(await psModels()).toEqual([WHISPER.name]);
    expect(await stt.loaded()).toBe(true);
  });

  it('takes 409 "already loaded" on a load as success', async () => {
    await startNode();
    await driver().load();

    await driver().load();

    expect(calls('POST')).toHaveLength(2);
    expect(await psModels()).toEqual([WHISPER.name]);
  });

  it('unloads with DELETE /api/ps/{model} and returns once /api/ps no longer lists it', async () => {
    await startNode();
    const stt = driver();
    await stt.load();

    await stt.unload();

    expect(calls('DELETE')).toHaveLength(1);
    expect(await psModels()).toEqual([]);
    expect(await stt.loaded()).toBe(false);
  });

  it('retries the 409 "in use" while a transcription runs, and returns after it finished', async () => {
    await startNode();
    await driver().load();
    const running = transcribe();
    await eventually(() => node!.busyIntervals().length === 1, { what: 'the transcription to start' });

    await driver().unload();

    expect(calls('DELETE').length).toBeGreaterThan(1); // refused while in use, then accepted
    expect(node!.busyIntervals()).toEqual([expect.objectContaining({ cancelled: false, end: expect.any(Number) })]);
    expect((await running).status).toBe(200);
    expect(await psModels()).toEqual([]);
  });

  it('fails with RESIDENCY_TIMEOUT quoting "in use" when the transcription outlasts the unload', async () => {
    await startNode({ models: [{ ...WHISPER, serviceSec: 30 }] });
    await driver().load();
    void transcribe().catch(() => undefined);
    await eventually(() => node!.busyIntervals().length === 1, { what: 'the transcription to start' });

    const error = await driver({ timeoutMs: 300 }).unload().catch((e: unknown) => e);

    expect(error).toMatchObject({ code: ErrorCode.ResidencyTimeout, permanent: false });
    expect((error as Error).message).toMatch(/unloading speaches Systran\/faster-whisper-large-v2 .*answered 409: Model \S+ is still in use/);
  });

  it('waits out the card’s unload lag when asked to, so the memory is free when it returns', async () => {
    await startNode({ unloadLagSec: 0.4 });
    await driver().load();

    await driver({ settleMs: 600 }).unload();

    expect(node!.usedVramMb()).toBe(0);
  });

  it('unload of a model that is not loaded sends no DELETE', async () => {
    await startNode();

    await driver({ settleMs: 60_000 }).unload();

    expect(calls('DELETE')).toEqual([]);
  });

  it('refuses at once a model speaches does not have', async () => {
    await startNode();
    const missing = new SpeachesModelDriver({ url: node!.speachesUrl, models: ['Systran/faster-whisper-tiny'], pollMs: 25, timeoutMs: 30_000 });

    const error = await missing.load().catch((e: unknown) => e);

    expect(error).toMatchObject({ code: ErrorCode.ResidencyRefused, permanent: true });
    expect((error as Error).message).toContain('is not installed locally');
  });

  it('retries a load that finds the card full (500 out of memory) until it fits', async () => {
    const big: GpuModelSpec = { ...WHISPER, name: 'Systran/faster-whisper-huge', vramMb: 6000 };
    await startNode({ models: [WHISPER, big] });
    await driver().load();
    const loadingBig = new SpeachesModelDriver({ url: node!.speachesUrl, models: [big.name], pollMs: 25, timeoutMs: 10_000 }).load();
    await eventually(() => node!.oomErrors() > 0, { what: 'an out-of-memory refusal' });

    await driver().unload();
    await loadingBig;

    expect(await psModels()).toEqual([big.name]);
  });

  it('reports as resident what /api/ps lists, VRAM unknown (speaches does not say)', async () => {
    await startNode();
    const stt = driver();
    expect(await stt.resident()).toEqual([]);
    await stt.load();
    expect(await stt.resident()).toEqual([{ model: WHISPER.name, vramMb: null }]);
  });
});
