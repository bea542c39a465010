import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ErrorCode, type Transcript } from '@introeval/contracts';
import { freePort, startGpuNode, type GpuNodeHandle } from '@introeval/testing';
import { COMPLETE_INTRO } from '../complete-intro.fixture.js';
import { computeDeliveryMetrics } from '../rating/delivery-metrics.js';
import { OllamaExtractionEngine } from '../extraction/ollama-extraction.engine.js';
import { OllamaRatingEngine } from '../rating/ollama-rating.engine.js';
import { OllamaClient } from '../ollama/ollama.client.js';
import { extractProfile, RulesExtractionEngine, RULES_EXTRACTION_VERSION } from '../extraction/rules-extraction.engine.js';
import { rateIntroduction, RulesRatingEngine } from '../rating/rules-rating.engine.js';
import { defaultRubric } from '../rating/rubric/rubric.loader.js';
import { rulesBrain } from '../stand-in-brain/rules-brain.js';
import { extractionWithFallback, ratingWithFallback } from './fallback.engine.js';

// The fallback wrappers with real Ollama clients: one pointed at a closed port (nothing listens: ECONNREFUSED),
// one at the GPU-node stand-in asking for a model it does not have (404: a deployment error, not an absence).

const MODEL = 'mistral:7b-instruct-q4_K_M';
const TRANSCRIPT: Transcript = { text: COMPLETE_INTRO, words: [], engine: 'text', model: null, durationSec: null };

describe('fallback engines', () => {
  let closedUrl: string;
  let node: GpuNodeHandle;
  const client = (url: string, model = MODEL) => new OllamaClient({ url, model, retries: 1, backoffMs: [10] });

  beforeAll(async () => {
    closedUrl = `http://127.0.0.1:${await freePort()}`;
    node = await startGpuNode({
      vramMb: 8192,
      models: [{ name: MODEL, api: 'ollama', group: 'extract', vramMb: 5100, loadSec: 0.1, serviceSec: 0.1, maxConcurrency: 1, gainAtMax: 1 }],
      brain: rulesBrain(),
    });
  });
  afterAll(() => node.close());

  it('reads the profile with the rules engine when Ollama cannot be reached, and says so in provenance', async () => {
    const reasons: string[] = [];
    const engine = extractionWithFallback(
      new OllamaExtractionEngine(client(closedUrl)),
      new RulesExtractionEngine(),
      (error) => reasons.push(`${error.code}: ${error.message}`),
    );
    expect(engine.provenance.engine).toBe('ollama');
    const { profile, provenance } = await engine.extractWithProvenance({ text: COMPLETE_INTRO, epoch: 3 });
    expect(profile).toEqual(extractProfile(COMPLETE_INTRO));
    expect(provenance).toEqual({ engine: 'rules', model: null, version: RULES_EXTRACTION_VERSION, fallbackFrom: 'ollama' });
    expect(reasons).toEqual([expect.stringMatching(/^ENGINE_UNAVAILABLE: ollama POST \/api\/chat: cannot reach .*ECONNREFUSED/)]);
    // The plain interface answers the same way.
    expect(await engine.extract({ text: COMPLETE_INTRO })).toEqual(profile);
  });

  it('rates with the rules engine (same rubric) when Ollama cannot be reached', async () => {
    const profile = extractProfile(COMPLETE_INTRO);
    const input = { transcript: TRANSCRIPT, profile, metrics: computeDeliveryMetrics(TRANSCRIPT, profile) };
    const rules = new RulesRatingEngine();
    const engine = ratingWithFallback(new OllamaRatingEngine(client(closedUrl, 'llama3:8b')), rules);
    const outcome = await engine.rateWithProvenance(input);
    expect({ scores: outcome.scores, feedback: outcome.feedback }).toEqual(rateIntroduction(defaultRubric(), input));
    expect(outcome.provenance).toEqual({ ...rules.provenance, fallbackFrom: 'ollama' });
  });

  it('does not step in for an error that is not the engine being away', async () => {
    let fallbacks = 0;
    const engine = extractionWithFallback(
      new OllamaExtractionEngine(client(node.ollamaUrl, 'no-such-model:7b')),
      new RulesExtractionEngine(),
      () => fallbacks++,
    );
    await expect(engine.extractWithProvenance({ text: COMPLETE_INTRO })).rejects.toMatchObject({ code: ErrorCode.Internal });
    expect(fallbacks).toBe(0);
  });

  it('does not step in for a call that was aborted', async () => {
    const controller = new AbortController();
    const engine = extractionWithFallback(new OllamaExtractionEngine(client(closedUrl)), new RulesExtractionEngine());
    controller.abort(new Error('stage deadline'));
    await expect(engine.extractWithProvenance({ text: COMPLETE_INTRO, signal: controller.signal })).rejects.toThrow('stage deadline');
  });
});
