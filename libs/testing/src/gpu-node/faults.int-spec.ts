import { afterEach, describe, expect, it } from '@jest/globals';
import { eventually } from '../eventually.js';
import { startGpuNode } from './gpu-node.js';
import type { GpuNodeHandle } from './gpu-node.types.js';
import { MISTRAL, WHISPER, chatBody, postJson, testBrain, transcribe, transcriptionForm } from './gpu-node.fixture.js';

describe('GPU-node stand-in: injected faults', () => {
  let node: GpuNodeHandle;
  afterEach(async () => {
    await node?.close();
  });
  const start = async () => {
    node = await startGpuNode({ vramMb: 16_384, models: [WHISPER, MISTRAL], timeScale: 1000, brain: testBrain(), ollamaKeepAliveSec: -1 });
  };
  const chat = () => postJson(`${node.ollamaUrl}/api/chat`, chatBody(MISTRAL.name));

  it('answers a status fault at once, for `times` requests, without serving them', async () => {
    await start();
    node.inject({ api: 'ollama', path: '/api/chat', kind: 'status', status: 503, body: { error: 'boom' }, times: 2 });
    expect(await chat()).toMatchObject({ status: 503, json: { error: 'boom' } });
    expect(await chat()).toMatchObject({ status: 503 });
    expect((await chat()).status).toBe(200);
    expect(node.busyIntervals()).toHaveLength(1);
    expect(node.requests()).toHaveLength(3);

    node.inject({ api: 'speaches', path: '/v1/audio/transcriptions', kind: 'status', status: 500 });
    expect(await transcribe(node.speachesUrl, transcriptionForm(WHISPER.name))).toMatchObject({ status: 500, json: { detail: 'injected fault' } });
  });

  it('serves an invalid-json fault normally but with content that does not parse', async () => {
    await start();
    node.inject({ api: 'ollama', path: '/api/chat', kind: 'invalid-json' });
    const bad = await chat();
    expect(bad.status).toBe(200);
    expect(bad.json.done).toBe(true); // the envelope is fine...
    expect(() => {
      JSON.parse(bad.json.message.content);
    }).toThrow(); // ...the model's answer is not
    expect(node.busyIntervals()).toHaveLength(1); // it took its service time
    expect(JSON.parse((await chat()).json.message.content)).toEqual({ name: 'Ada', skills: ['physics'] });

    node.inject({ api: 'ollama', path: '/api/ps', kind: 'invalid-json' });
    const ps = await fetch(`${node.ollamaUrl}/api/ps`);
    expect(ps.status).toBe(200);
    await expect(ps.json()).rejects.toThrow();

    node.inject({ api: 'speaches', path: '/v1/audio/transcriptions', kind: 'invalid-json' });
    const transcription = await transcribe(node.speachesUrl, transcriptionForm(WHISPER.name));
    expect(transcription.status).toBe(200);
    expect(transcription.json).toBeUndefined();
  });

  it('hangs until the client goes away, and close() drops a hung request', async () => {
    await start();
    node.inject({ api: 'ollama', path: '/api/chat', kind: 'hang', times: 2 });
    await expect(postJson(`${node.ollamaUrl}/api/chat`, chatBody(MISTRAL.name), { signal: AbortSignal.timeout(200) })).rejects.toThrow();
    expect(node.requests()).toHaveLength(1);
    expect(node.busyIntervals()).toEqual([]);
    const hung = chat().catch(() => 'failed');
    await eventually(() => node.requests().length === 2, { what: 'the second request' });
    await node.close();
    expect(await hung).toBe('failed');
  });

  it('resets the connection', async () => {
    await start();
    node.inject({ api: 'speaches', path: `/api/ps/${WHISPER.name}`, kind: 'reset' });
    await expect(fetch(`${node.speachesUrl}/api/ps/${WHISPER.name}`, { method: 'POST' })).rejects.toThrow();
    expect((await fetch(`${node.speachesUrl}/api/ps/${WHISPER.name}`, { method: 'POST' })).status).toBe(201);
  });
});
