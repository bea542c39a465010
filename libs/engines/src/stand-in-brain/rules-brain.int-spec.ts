import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { LAB_8GB_MODELS, SHORT_SPEECH, STRONG_INTRO, speechWav, startGpuNode, type GpuNodeHandle } from '@introeval/testing';
import { EXTRACTION_SYSTEM_PROMPT, extractionUserMessage } from '../extraction/extraction-prompt.js';
import { PROFILE_JSON_SCHEMA } from '../extraction/profile.schema.js';
import { rulesBrain } from './rules-brain.js';

// The rules brain behind the stand-in's two HTTP APIs, as the adapters meet it (its chat answers alone:
// rules-answers.spec.ts). Passing rulesBrain() to startGpuNode here also has tsc check that StandInBrain still
// fits the stand-in's GpuNodeBrain.
const [WHISPER, MISTRAL] = LAB_8GB_MODELS;

async function postChat(url: string, body: object): Promise<{ status: number; json: any }> {
  const response = await fetch(`${url}/api/chat`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: response.status, json: await response.json() };
}

describe('rules brain behind the GPU-node stand-in', () => {
  let node: GpuNodeHandle;
  beforeAll(async () => {
    node = await startGpuNode({
      // Room for both models at once: one node serves both tests, and neither model expires in between.
      vramMb: 16_384,
      models: [WHISPER, MISTRAL],
      timeScale: 1000,
      brain: rulesBrain(),
      ollamaKeepAliveSec: 3600,
      speachesTtlSec: 3600,
    });
  });
  afterAll(async () => {
    await node?.close();
  });

  it('answers an extraction prompt on the Ollama API with the rules profile', async () => {
    const { json } = await postChat(node.ollamaUrl, {
      model: MISTRAL.name,
      messages: [
        { role: 'system', content: EXTRACTION_SYSTEM_PROMPT },
        { role: 'user', content: extractionUserMessage(STRONG_INTRO.text) },
      ],
      format: PROFILE_JSON_SCHEMA,
      stream: false,
    });
    expect(JSON.parse(json.message.content)).toMatchObject({ name: STRONG_INTRO.facts.name });
    const unknown = await postChat(node.ollamaUrl, {
      model: MISTRAL.name,
      messages: [{ role: 'user', content: '<transcript>hello my name is ada</transcript>' }],
      format: 'json',
      stream: false,
    });
    expect(unknown.status).toBe(500);
    expect(unknown.json.error).toMatch(/rules brain: format must be a JSON Schema/);
  });

  describe('on the speaches API (real pocketsphinx)', () => {
    let dir: string;
    let wav: Buffer;
    beforeAll(async () => {
      dir = await mkdtemp(join(tmpdir(), 'introeval-gpu-node-'));
      wav = await readFile(await speechWav(SHORT_SPEECH, 'slt', dir));
    }, 30_000);
    afterAll(async () => {
      await rm(dir, { recursive: true, force: true });
    });

    it('transcribes a spoken WAV with word timings', async () => {
      const form = new FormData();
      form.append('file', new Blob([wav], { type: 'audio/wav' }), 'audio.wav');
      form.append('model', WHISPER.name);
      form.append('response_format', 'verbose_json');
      form.append('timestamp_granularities[]', 'word');
      const response = await fetch(`${node.speachesUrl}/v1/audio/transcriptions`, { method: 'POST', body: form });
      const json = (await response.json()) as { words: { start: number; end: number }[]; duration: number; text: string };
      expect(response.status).toBe(200);
      expect(json.words.length).toBeGreaterThan(3);
      expect(json.duration).toBeGreaterThan(1);
      expect(json.text.length).toBeGreaterThan(10);
      const words = json.words;
      expect(words.every((w) => w.end >= w.start)).toBe(true);
    });
  });
});
