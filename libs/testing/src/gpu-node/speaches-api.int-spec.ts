import { afterEach, describe, expect, it } from '@jest/globals';
import { eventually } from '../eventually.js';
import { startGpuNode } from './gpu-node.js';
import type { GpuNodeHandle, GpuNodeOptions } from './gpu-node.types.js';
import { CANNED_TRANSCRIPT, MISTRAL, WHISPER, getJson, testBrain, transcribe, transcriptionForm } from './gpu-node.fixture.js';

describe('GPU-node stand-in: speaches API', () => {
  let node: GpuNodeHandle;
  const start = async (options: Partial<GpuNodeOptions> = {}) => {
    node = await startGpuNode({
      vramMb: 8192,
      models: [WHISPER, MISTRAL],
      timeScale: 1000,
      brain: testBrain(),
      ollamaKeepAliveSec: 3600,
      speachesTtlSec: 3600,
      ...options,
    });
    return node;
  };
  const ps = async () => (await getJson(`${node.speachesUrl}/api/ps`)).models as string[];
  const model = (id: string, method: 'POST' | 'DELETE') => fetch(`${node.speachesUrl}/api/ps/${id}`, { method });
  afterEach(async () => {
    await node?.close();
  });

  it('loads, lists and unloads a model through /api/ps (ids with a slash), with speaches status codes', async () => {
    await start();
    expect(await ps()).toEqual([]);
    expect((await model(WHISPER.name, 'DELETE')).status).toBe(404);
    expect((await model(WHISPER.name, 'POST')).status).toBe(201);
    expect(await ps()).toEqual([WHISPER.name]);
    expect(node.usedVramMb()).toBe(4500);
    const again = await model(WHISPER.name, 'POST');
    expect([again.status, await again.text()]).toEqual([409, 'Model already loaded']);
    expect((await model(WHISPER.name, 'DELETE')).status).toBe(204);
    expect(await ps()).toEqual([]);
    expect((await model('Systran/faster-whisper-tiny', 'POST')).status).toBe(404);
    expect(node.loads()).toBe(1);
  });

  it('refuses to unload while a transcription runs (409), and loads on demand for a transcription', async () => {
    await start({ models: [{ ...WHISPER, serviceSec: 1000 }] }); // 1 s real
    const running = transcribe(node.speachesUrl, transcriptionForm(WHISPER.name));
    await eventually(() => node.busyIntervals().length === 1, { what: 'the transcription to start' });
    expect((await model(WHISPER.name, 'DELETE')).status).toBe(409);
    expect((await running).status).toBe(200);
    const [r] = node.residency();
    const [b] = node.busyIntervals();
    expect(b.start).toBeCloseTo(r.loadedAt!, 9); // it paid the load
    expect(r.loadedAt! - r.loadStart).toBeCloseTo(WHISPER.loadSec, 9);
    expect((await model(WHISPER.name, 'DELETE')).status).toBe(204);
  });

  it('answers json, text and verbose_json (words only when asked for, with Whisper spacing)', async () => {
    await start();
    const json = await transcribe(node.speachesUrl, transcriptionForm(WHISPER.name));
    expect(json.json).toEqual({ text: CANNED_TRANSCRIPT.text });
    const text = await transcribe(node.speachesUrl, transcriptionForm(WHISPER.name, { response_format: 'text' }));
    expect(text.text).toBe(CANNED_TRANSCRIPT.text);

    const verbose = await transcribe(
      node.speachesUrl,
      transcriptionForm(WHISPER.name, { response_format: 'verbose_json', 'timestamp_granularities[]': ['word', 'segment'], language: 'en' }),
    );
    expect(verbose.json).toMatchObject({ task: 'transcribe', language: 'en', duration: 3.2, text: CANNED_TRANSCRIPT.text });
    expect(verbose.json.words[0]).toEqual({ word: ' hello', start: 0, end: 0.25, probability: 0.9 });
    expect(verbose.json.segments[0]).toMatchObject({ id: 0, start: 0, text: ` ${CANNED_TRANSCRIPT.text}` });
    const segmentOnly = await transcribe(node.speachesUrl, transcriptionForm(WHISPER.name, { response_format: 'verbose_json' }));
    expect(segmentOnly.json.words).toBeNull();

    const [recorded] = node.requests();
    expect(recorded.body).toEqual({
      fields: { model: WHISPER.name },
      file: { field: 'file', filename: 'audio.wav', mimeType: 'audio/wav', size: 3200 },
    });
  });

  it('rejects what speaches rejects: missing fields (422), unknown models (404), unknown formats', async () => {
    await start();
    const form = new FormData();
    form.append('model', WHISPER.name);
    const noFile = await transcribe(node.speachesUrl, form);
    expect(noFile.status).toBe(422);
    expect(noFile.json.detail[0]).toMatchObject({ type: 'missing', loc: ['body', 'file'] });
    expect((await transcribe(node.speachesUrl, transcriptionForm('openai/whisper-9'))).status).toBe(404);
    expect((await transcribe(node.speachesUrl, transcriptionForm(MISTRAL.name))).status).toBe(404); // an Ollama model
    expect((await transcribe(node.speachesUrl, transcriptionForm(WHISPER.name, { response_format: 'xml' }))).status).toBe(422);
    expect((await transcribe(node.speachesUrl, transcriptionForm(WHISPER.name, { response_format: 'srt' }))).status).toBe(400);
    expect(node.busyIntervals()).toEqual([]);
  });

  it("unloads an idle model after speaches' TTL (simulated)", async () => {
    await start({ speachesTtlSec: 30 });
    await transcribe(node.speachesUrl, transcriptionForm(WHISPER.name));
    await eventually(async () => (await ps()).length === 0, { what: 'the TTL unload' });
    expect(node.residency()[0].unloadedAt! - node.busyIntervals()[0].end!).toBeCloseTo(30, 9);
  });
});
