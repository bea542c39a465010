import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { emptyProfile } from '@introeval/contracts';
import { eventually, startGpuNode, type GpuNodeHandle } from '@introeval/testing';
import { COMPLETE_INTRO } from '../complete-intro.fixture.js';
import { extractProfile } from './rules-extraction.engine.js';
import { EXTRACTION_PROMPT_VERSION } from './extraction-prompt.js';
import { OllamaExtractionEngine } from './ollama-extraction.engine.js';
import { OllamaClient } from '../ollama/ollama.client.js';
import { rulesBrain } from '../stand-in-brain/rules-brain.js';

const MODEL = 'mistral:7b-instruct-q4_K_M';
const DIGEST = 'fedcba9876543210'.repeat(4);

describe('OllamaExtractionEngine (against the GPU-node stand-in)', () => {
  let node: GpuNodeHandle;
  let engine: OllamaExtractionEngine;

  beforeAll(async () => {
    node = await startGpuNode({
      vramMb: 8192,
      models: [
        { name: MODEL, api: 'ollama', group: 'extract', vramMb: 5100, loadSec: 0.3, serviceSec: 0.2, maxConcurrency: 1, gainAtMax: 1, digest: DIGEST },
      ],
      brain: rulesBrain(),
    });
    engine = new OllamaExtractionEngine(new OllamaClient({ url: node.ollamaUrl, model: MODEL }));
  });
  afterAll(async () => {
    await node.close();
  });

  it('extracts a profile and records model, digest, prompt version, tokens and load time', async () => {
    expect(engine.provenance).toEqual({ engine: 'ollama', model: MODEL, version: EXTRACTION_PROMPT_VERSION });

    const { profile, provenance } = await engine.extractWithProvenance({ text: COMPLETE_INTRO });

    // The stand-in's brain answers with the rules engine, so the profile is what the rules read in the text.
    expect(profile).toEqual(extractProfile(COMPLETE_INTRO));
    expect(provenance).toEqual({
      engine: 'ollama',
      model: MODEL,
      version: `${EXTRACTION_PROMPT_VERSION}@sha256:fedcba987654`,
      digest: `sha256:${DIGEST}`,
      promptTokens: expect.any(Number),
      evalTokens: expect.any(Number),
      loadMs: expect.any(Number),
    });
    expect(provenance.promptTokens).toBeGreaterThan(COMPLETE_INTRO.length / 8);
    expect(provenance.evalTokens).toBeGreaterThan(0);
    // A cold model: this call paid for the load.
    expect(provenance.loadMs).toBeGreaterThan(0);
    // Afterwards the engine's standing provenance names the digest too (without one call's figures).
    expect(engine.provenance).toEqual({
      engine: 'ollama',
      model: MODEL,
      version: `${EXTRACTION_PROMPT_VERSION}@sha256:fedcba987654`,
      digest: `sha256:${DIGEST}`,
    });
  });

  it('extract() gives the same profile, and the digest is not looked up again', async () => {
    const tags = () => node.requests().filter((r) => r.path === '/api/tags').length;
    const before = tags();
    expect(await engine.extract({ text: COMPLETE_INTRO })).toEqual(extractProfile(COMPLETE_INTRO));
    expect(tags()).toBe(before);
  });

  it('a profile with nothing stated is all null and []', async () => {
    expect(await engine.extract({ text: 'hello everyone, thank you' })).toEqual(emptyProfile());
  });

  it('passes the signal to the HTTP call', async () => {
    node.inject({ api: 'ollama', path: '/api/chat', kind: 'hang' });
    const chats = () => node.requests().filter((r) => r.path === '/api/chat').length;
    const before = chats();
    const controller = new AbortController();
    const call = engine.extract({ text: COMPLETE_INTRO, signal: controller.signal });
    // The server holds the request (hang): only the signal can end the call.
    await eventually(() => chats() > before, { what: 'the chat request' });
    controller.abort(new Error('worker stopping'));
    await expect(call).rejects.toThrow('worker stopping');
  });
});
