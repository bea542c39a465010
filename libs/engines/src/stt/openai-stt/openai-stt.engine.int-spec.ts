import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { encodeWav, readWavInfo } from '@introeval/audio';
import { ErrorCode, IntroEvalError } from '@introeval/contracts';
import {
  eventually,
  speechWav,
  startGpuNode,
  type GpuNodeHandle,
  type RecordedMultipart,
  type SpeechText,
} from '@introeval/testing';
import { rulesBrain } from '../../stand-in-brain/rules-brain.js';
import { OPENAI_STT_VERSION, OpenAiSpeechToTextEngine, type OpenAiSpeechToTextOptions } from './openai-stt.engine.js';

// The adapter against the GPU-node stand-in's speaches API, whose brain transcribes with real pocketsphinx:
// a real flite recording goes through real multipart, real recognition and the verbose_json mapping.

const MODEL = 'Systran/faster-whisper-large-v2';

/** About 12 s of speech: long enough for real word timings, short enough for pocketsphinx on a busy machine. */
const SPEECH: SpeechText = {
  id: 'stt-adapter',
  text:
    'Good morning everyone. I am a final year student of computer science at the state university. ' +
    'I enjoy machine learning, and my goal is to become a data scientist. Thank you.',
};
/** Phrases of common words that pocketsphinx hears in flite's voices (the intro scripts' key phrases). */
const KEY_PHRASES = ['computer science', 'machine learning', 'data scientist'];

async function failure(promise: Promise<unknown>): Promise<IntroEvalError> {
  const error = await promise.then(
    () => new Error('expected the call to fail'),
    (e: unknown) => e,
  );
  if (!(error instanceof IntroEvalError)) throw error;
  return error;
}

describe('OpenAiSpeechToTextEngine (against the GPU-node stand-in)', () => {
  let node: GpuNodeHandle;
  let dir: string;
  let wav: string;
  const engine = (options: Partial<OpenAiSpeechToTextOptions> = {}) =>
    new OpenAiSpeechToTextEngine({ url: node.speachesUrl, model: MODEL, backoffMs: [20], ...options });
  const uploads = () => node.requests().filter((r) => r.api === 'speaches' && r.path === '/v1/audio/transcriptions');

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'engines-openai-stt-'));
    wav = await speechWav(SPEECH, 'slt', dir);
    node = await startGpuNode({
      vramMb: 8192,
      models: [{ name: MODEL, api: 'speaches', group: 'stt', vramMb: 4500, loadSec: 0.2, serviceSec: 0.1, maxConcurrency: 4, gainAtMax: 2 }],
      brain: rulesBrain(),
    });
  });
  afterAll(async () => {
    await node?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('loads the model on demand and maps verbose_json word timestamps onto the transcript', async () => {
    const stt = engine();
    expect(await stt.loadedModels()).toEqual([]);

    const transcript = await stt.transcribe({ audioPath: wav });

    expect(await stt.loadedModels()).toEqual([MODEL]);
    expect(stt.provenance).toEqual({ engine: 'openai', model: MODEL, version: OPENAI_STT_VERSION });
    expect(transcript.engine).toBe('openai');
    expect(transcript.model).toBe(MODEL);
    expect(transcript.durationSec).toBeCloseTo((await readWavInfo(wav)).durationSec, 3);
    for (const phrase of KEY_PHRASES) expect(transcript.text).toContain(phrase);
    expect(transcript.words.length).toBeGreaterThan(20);
    expect(transcript.words.map((w) => w.w).join(' ')).toBe(transcript.text);
    let previousEnd = 0;
    for (const word of transcript.words) {
      // Whisper's leading space is gone; times are in order and inside the clip; conf is a probability.
      expect(word.w).toBe(word.w.trim());
      expect(word.start).toBeGreaterThanOrEqual(previousEnd - 0.001);
      expect(word.end).toBeGreaterThanOrEqual(word.start);
      expect(word.end).toBeLessThanOrEqual(transcript.durationSec! + 0.001);
      expect(word.conf).toBeGreaterThanOrEqual(0);
      expect(word.conf).toBeLessThanOrEqual(1);
      previousEnd = word.end;
    }
  });

  it('uploads the WAV as multipart with verbose_json, word timestamps, language and temperature 0', async () => {
    const stt = engine({ language: 'en', prompt: 'Umm, so, uh, I mean.', apiKey: 'k-1' });
    await stt.transcribe({ audioPath: wav, epoch: 4 });
    const request = uploads().at(-1)!;
    expect(request.body as RecordedMultipart).toEqual({
      fields: {
        model: MODEL,
        language: 'en',
        response_format: 'verbose_json',
        'timestamp_granularities[]': ['word', 'segment'],
        temperature: '0',
        prompt: 'Umm, so, uh, I mean.',
      },
      file: { field: 'file', filename: basename(wav), mimeType: 'audio/wav', size: (await stat(wav)).size },
    });
    expect(request.headers.authorization).toBe('Bearer k-1');
    expect(request.headers['x-lease-epoch']).toBe('4');
    expect(node.busyIntervals().at(-1)?.epoch).toBe(4);
  });

  it('retries a 5xx answer, uploading the file again', async () => {
    node.inject({ api: 'speaches', path: '/v1/audio/transcriptions', kind: 'status', status: 500, times: 2 });
    const before = uploads().length;
    const transcript = await engine().transcribe({ audioPath: wav });

    expect(transcript.words.length).toBeGreaterThan(20);
    const attempts = uploads().slice(before);
    expect(attempts).toHaveLength(3);
    const size = (await stat(wav)).size;
    for (const attempt of attempts) expect((attempt.body as RecordedMultipart).file?.size).toBe(size);
  });

  it('fails with a transient ENGINE_UNAVAILABLE when the answer is not JSON', async () => {
    node.inject({ api: 'speaches', path: '/v1/audio/transcriptions', kind: 'invalid-json' });
    const error = await failure(engine().transcribe({ audioPath: wav }));
    expect(error.code).toBe(ErrorCode.EngineUnavailable);
    expect(error.permanent).toBe(false);
    expect(error.message).toBe("openai-stt POST /v1/audio/transcriptions: the server's answer is not JSON");
  });

  it('refuses audio that is not 16 kHz mono before uploading it (permanent INVALID_INPUT)', async () => {
    const wrong = join(dir, 'eight-khz.wav');
    await writeFile(wrong, encodeWav(new Int16Array(8000), 8000));
    const before = uploads().length;
    const error = await failure(engine().transcribe({ audioPath: wrong }));
    expect(error.code).toBe(ErrorCode.InvalidInput);
    expect(error.permanent).toBe(true);
    expect(uploads()).toHaveLength(before);
  });

  it('aborts the upload in flight when the signal fires', async () => {
    node.inject({ api: 'speaches', path: '/v1/audio/transcriptions', kind: 'hang' });
    const before = uploads().length;
    const controller = new AbortController();
    const call = engine().transcribe({ audioPath: wav, signal: controller.signal });
    // The server holds the request (hang): only the signal can end the call.
    await eventually(() => uploads().length > before, { what: 'the upload' });
    controller.abort(new Error('stage deadline'));
    await expect(call).rejects.toThrow('stage deadline');
  });

  it('unloads and loads the model explicitly (speaches /api/ps), tolerating "already" answers', async () => {
    const stt = engine();
    await stt.loadModel(); // already loaded: 409, fine
    expect(await stt.loadedModels()).toEqual([MODEL]);
    await stt.unloadModel();
    expect(await stt.loadedModels()).toEqual([]);
    await stt.unloadModel(); // not loaded: 404, fine
    await stt.loadModel();
    expect(await stt.loadedModels()).toEqual([MODEL]);
    const paths = node
      .requests()
      .filter((r) => r.path.startsWith('/api/ps/'))
      .map((r) => `${r.method} ${r.path}`);
    expect(paths).toEqual([`POST /api/ps/${MODEL}`, `DELETE /api/ps/${MODEL}`, `DELETE /api/ps/${MODEL}`, `POST /api/ps/${MODEL}`]);
  });
});
