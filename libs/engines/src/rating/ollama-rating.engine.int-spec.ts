import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ErrorCode, type Transcript, type Word } from '@introeval/contracts';
import {
  cannedBrain,
  LAB_8GB_MODELS,
  LAB_8GB_VRAM_MB,
  startGpuNode,
  STRONG_INTRO,
  WEAK_INTRO,
  type GpuNodeHandle,
} from '@introeval/testing';
import { computeDeliveryMetrics } from './delivery-metrics.js';
import type { RateInput } from '../engine.types.js';
import { defaultRubric } from './rubric/rubric.loader.js';
import { extractProfile } from '../extraction/rules-extraction.engine.js';
import { OllamaRatingEngine } from './ollama-rating.engine.js';
import { OllamaClient } from '../ollama/ollama.client.js';
import { RATING_JSON_SCHEMA } from './rating.schema.js';
import { rulesBrain } from '../stand-in-brain/rules-brain.js';

// The Ollama rating engine against the GPU-node stand-in, which speaks Ollama's HTTP API (its rules brain answers
// with this lib's rules engines: a spec-only cycle between engines and testing, allowed in eslint.config.mjs).

const RATER = LAB_8GB_MODELS.find((m) => m.group === 'rate')!;
/** Simulated seconds per real second: the card's 8 s load and 25 s rating take a few milliseconds here. */
const TIME_SCALE = 2000;

const TWENTY_WORDS =
  'My name is Priya, B.Tech computer science student at NIT Trichy. I know Python and built a chatbot, thank you.';

/** `text` spoken at a steady pace (about 130 wpm) with a short pause after each sentence. */
function spoken(text: string): Transcript {
  const words: Word[] = [];
  let t = 0;
  for (const raw of text.split(/\s+/)) {
    const w = raw.toLowerCase().replace(/[^a-z0-9'.]/g, '').replace(/\.$/, '');
    if (!w) continue;
    words.push({ w, start: Math.round(t * 1000) / 1000, end: Math.round((t + 0.36) * 1000) / 1000, conf: 0.9 });
    t += 0.43 + (/[.!?]$/.test(raw) ? 0.35 : 0);
  }
  return { text: words.map((w) => w.w).join(' '), words, engine: 'test', model: null, durationSec: t };
}

function input(transcript: Transcript): RateInput {
  const profile = extractProfile(transcript.text);
  return { transcript, profile, metrics: computeDeliveryMetrics(transcript, profile) };
}

/** A model that praises everything: every criterion 5, whatever the transcript. */
function flatterer(): string {
  const five = { justification: 'You did everything perfectly', score: 5 };
  return JSON.stringify({ content: five, structure: five, clarity: five, professionalism: five });
}

const SILENT_TRANSCRIPT = { text: '', language: 'en', durationSec: 0, words: [] };

function engineOn(node: GpuNodeHandle): OllamaRatingEngine {
  return new OllamaRatingEngine(new OllamaClient({ url: node.ollamaUrl, model: RATER.name, retries: 0 }), defaultRubric());
}

describe('OllamaRatingEngine against the GPU-node stand-in (rules brain)', () => {
  let node: GpuNodeHandle;
  beforeAll(async () => {
    node = await startGpuNode({ vramMb: LAB_8GB_VRAM_MB, models: [RATER], timeScale: TIME_SCALE, brain: rulesBrain() });
  });
  afterAll(() => node.close());

  it('scores a complete, well-structured introduction far above a rambling one that misses facts', async () => {
    const engine = engineOn(node);
    const complete = await engine.rate(input(spoken(STRONG_INTRO.text)));
    const rambling = await engine.rate(input(spoken(WEAK_INTRO.text)));
    expect(complete.scores.total).toBeGreaterThanOrEqual(90);
    expect(rambling.scores.total).toBeLessThan(complete.scores.total - 40);
    expect(rambling.scores.content).toBeLessThan(complete.scores.content);
    expect(rambling.scores.professionalism).toBeLessThan(complete.scores.professionalism);
    // The model's justification is the advice of a weak criterion, followed by the rubric's next anchor.
    expect(rambling.feedback.filter((line) => /^(Content|Structure|Clarity|Professionalism|Delivery) \(\d\/5\): /.test(line)))
      .toHaveLength(2);
    expect(rambling.feedback.join('\n')).toMatch(/Next level \([35]\/5\): /);
  });

  it('gives the same scores and feedback twice for the same input', async () => {
    const engine = engineOn(node);
    const first = await engine.rate(input(spoken(WEAK_INTRO.text)));
    const second = await engine.rate(input(spoken(WEAK_INTRO.text)));
    expect(second).toEqual(first);
  });

  it('sends the rubric anchors, the transcript in tags and the JSON Schema as format, with pinned decoding', async () => {
    const before = node.requests().length;
    await engineOn(node).rate(input(spoken(TWENTY_WORDS)));
    const chat = node.requests().slice(before).find((r) => r.path === '/api/chat');
    const body = chat?.body as {
      format: unknown;
      options: { temperature: number; seed: number };
      messages: { role: string; content: string }[];
    };
    expect(body.format).toEqual(RATING_JSON_SCHEMA);
    expect(body.options).toMatchObject({ temperature: 0, seed: 42 });
    const [system, user] = body.messages;
    const rubric = defaultRubric();
    for (const id of ['content', 'structure', 'clarity', 'professionalism'] as const) {
      for (const level of ['1', '3', '5'] as const) expect(system.content).toContain(rubric.criteria[id].anchors[level]);
    }
    expect(system.content).not.toContain(rubric.criteria.delivery.anchors['5']);
    expect(user.content).toMatch(/<transcript>\nmy name is priya b\.tech .* thank you\n<\/transcript>$/);
  });

  it('records the rubric, the prompt version and the model digest in provenance', async () => {
    const engine = engineOn(node);
    const outcome = await engine.rateWithProvenance(input(spoken(STRONG_INTRO.text)));
    expect(outcome.provenance).toMatchObject({
      engine: 'ollama',
      model: RATER.name,
      version: expect.stringMatching(/^rubric-2026\.2\+rate-prompt-2026\.1@sha256:[0-9a-f]{12}$/),
      digest: expect.stringMatching(/^sha256:[0-9a-f]{64}$/),
      promptTokens: expect.any(Number),
    });
    expect(engine.provenance.version).toBe(outcome.provenance.version);
  });
});

describe('OllamaRatingEngine guards hold whatever the model says', () => {
  let node: GpuNodeHandle;
  beforeAll(async () => {
    node = await startGpuNode({
      vramMb: LAB_8GB_VRAM_MB,
      models: [RATER],
      timeScale: TIME_SCALE,
      brain: cannedBrain({ transcript: SILENT_TRANSCRIPT, chat: flatterer }),
    });
  });
  afterAll(() => node.close());

  it('keeps a 20-word answer at 2 for content even when the model gives it 5, and says why', async () => {
    const { scores, feedback } = await engineOn(node).rate(input(spoken(TWENTY_WORDS)));
    expect(scores.content).toBe(2);
    expect(scores.structure).toBe(5);
    for (const other of ['clarity', 'professionalism', 'delivery'] as const) expect(scores[other]).toBeLessThanOrEqual(3);
    expect(feedback[0]).toMatch(/^Content \(2\/5\): Your answer has only 20 words.* You did everything perfectly\. Next level/);
  });

  it('takes the model at its word on a full-length answer, and judges delivery by code', async () => {
    const steady = await engineOn(node).rate(input(spoken(STRONG_INTRO.text)));
    expect(steady.scores).toEqual({ content: 5, structure: 5, clarity: 5, professionalism: 5, delivery: 5, total: 100 });
    // The model's 5s cannot lift a text submission's delivery: there is nothing to measure it from.
    const text: Transcript = { text: STRONG_INTRO.text, words: [], engine: 'text', model: null, durationSec: null };
    const written = await engineOn(node).rate(input(text));
    expect(written.scores.delivery).toBe(4);
    expect(written.feedback.join('\n')).toMatch(/Delivery was judged from the text alone/);
  });
});

describe('OllamaRatingEngine with a model that breaks the schema', () => {
  let node: GpuNodeHandle;
  let answers: string[];
  beforeAll(async () => {
    node = await startGpuNode({
      vramMb: LAB_8GB_VRAM_MB,
      models: [RATER],
      timeScale: TIME_SCALE,
      brain: cannedBrain({
        transcript: SILENT_TRANSCRIPT,
        chat: () => answers.shift() ?? flatterer(),
      }),
    });
  });
  afterAll(() => node.close());

  it('sends the validation problems back once and uses the repaired answer', async () => {
    const three = { justification: 'Fine', score: 3 };
    answers = [
      JSON.stringify({ content: { justification: 'Great', score: 7 }, structure: three, clarity: three, professionalism: three }),
      JSON.stringify({ content: three, structure: three, clarity: three, professionalism: three }),
    ];
    const before = node.requests().length;
    const { scores } = await engineOn(node).rate(input(spoken(STRONG_INTRO.text)));
    expect(scores).toMatchObject({ content: 3, structure: 3, clarity: 3, professionalism: 3 });
    const chats = node.requests().slice(before).filter((r) => r.path === '/api/chat');
    const repair = (chats[1].body as { messages: { content: string }[] }).messages.at(-1)!.content;
    expect(repair).toContain('content.score: score must be a whole number from 1 to 5');
  });

  it('fails permanently with ENGINE_INVALID_OUTPUT when the repair is invalid too', async () => {
    const missing = JSON.stringify({ content: { justification: 'Fine', score: 3 } });
    answers = [missing, missing];
    await expect(engineOn(node).rate(input(spoken(STRONG_INTRO.text)))).rejects.toMatchObject({
      code: ErrorCode.EngineInvalidOutput,
      permanent: true,
      message: expect.stringContaining('structure is missing'),
    });
  });
});
