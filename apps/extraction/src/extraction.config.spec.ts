import { describe, expect, it } from '@jest/globals';
import { ConfigError, loadConfig } from '@introeval/config';
import { EXTRACTION_PROMPT_VERSION, FallbackEngine, RULES_EXTRACTION_VERSION } from '@introeval/engines';
import { buildExtractionEngine } from './extraction-engine.provider.js';
import { ExtractionConfig } from './extraction.config.js';

/** The problems loadConfig reports for `env` (none: []). */
function problems(env: Record<string, string>): string[] {
  try {
    loadConfig(ExtractionConfig, env);
    return [];
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
}

const OLLAMA = { EXTRACT_ENGINE: 'ollama', OLLAMA_URL: 'http://gpu-node:11434' };

describe('ExtractionConfig engine selection', () => {
  it('defaults to the rules engine without fallback, which needs no URL', () => {
    const config = loadConfig(ExtractionConfig, {});
    expect(config).toMatchObject({ EXTRACT_ENGINE: 'rules', EXTRACT_FALLBACK: 'none', OLLAMA_URL: undefined });
    expect(buildExtractionEngine(config).provenance).toEqual({ engine: 'rules', model: null, version: RULES_EXTRACTION_VERSION });
  });

  it('builds the Ollama engine with the configured model, alone unless a fallback is asked for', () => {
    const config = loadConfig(ExtractionConfig, { ...OLLAMA, EXTRACT_MODEL: 'mistral:7b' });
    const engine = buildExtractionEngine(config);
    expect(engine).not.toBeInstanceOf(FallbackEngine);
    expect(engine.provenance).toEqual({ engine: 'ollama', model: 'mistral:7b', version: EXTRACTION_PROMPT_VERSION });

    const guarded = buildExtractionEngine(loadConfig(ExtractionConfig, { ...OLLAMA, EXTRACT_FALLBACK: 'rules' }));
    expect(guarded).toBeInstanceOf(FallbackEngine);
    // The configured chain, not the fallback's: the fallback shows only in the provenance of a call it answered.
    expect(guarded.provenance.engine).toBe('ollama');
  });

  it('gives the Ollama client its settings in one object, and refuses to when no setting needs Ollama', () => {
    const config = loadConfig(ExtractionConfig, {
      ...OLLAMA,
      EXTRACT_MODEL: 'mistral:7b',
      EXTRACT_CONCURRENCY: '2',
      OLLAMA_KEEP_ALIVE: '-1',
      OLLAMA_RETRY_BACKOFF_MS: '100, 400',
    });
    expect(config.ollamaClientOptions()).toEqual({
      url: 'http://gpu-node:11434',
      model: 'mistral:7b',
      numCtx: 8192,
      keepAlive: -1,
      timeoutMs: 120_000,
      concurrency: 2,
      retries: 2,
      backoffMs: [100, 400],
    });
    expect(() => loadConfig(ExtractionConfig, {}).ollamaClientOptions()).toThrow(/OLLAMA_URL is not set/);
  });

  it('stops at boot when the ollama engine has no URL, naming the variable and why it is needed', () => {
    expect(problems({ EXTRACT_ENGINE: 'ollama' })).toEqual([
      'OLLAMA_URL is required with EXTRACT_ENGINE=ollama (e.g. http://gpu-node:11434) (got undefined)',
    ]);
  });

  it('refuses an engine or a fallback it does not know', () => {
    expect(problems({ EXTRACT_ENGINE: 'mistral', EXTRACT_FALLBACK: 'pocketsphinx' })).toEqual([
      'EXTRACT_ENGINE must be one of rules, ollama (got "mistral")',
      'EXTRACT_FALLBACK must be one of none, rules (got "pocketsphinx")',
    ]);
  });

  it('reads OLLAMA_KEEP_ALIVE as Ollama does: whole seconds as a number, durations as text', () => {
    expect(loadConfig(ExtractionConfig, { ...OLLAMA, OLLAMA_KEEP_ALIVE: '-1' }).ollamaKeepAlive).toBe(-1);
    expect(loadConfig(ExtractionConfig, { ...OLLAMA, OLLAMA_KEEP_ALIVE: '1h30m' }).ollamaKeepAlive).toBe('1h30m');
    expect(loadConfig(ExtractionConfig, OLLAMA).ollamaKeepAlive).toBeUndefined();
    expect(problems({ ...OLLAMA, OLLAMA_KEEP_ALIVE: 'forever' })).toEqual([expect.stringContaining('OLLAMA_KEEP_ALIVE must be')]);
  });

  it('refuses a context window Ollama cannot use and a bad retry list', () => {
    expect(problems({ ...OLLAMA, OLLAMA_NUM_CTX: '100', OLLAMA_RETRY_BACKOFF_MS: '-5' })).toEqual([
      expect.stringContaining('OLLAMA_NUM_CTX'),
      expect.stringContaining('OLLAMA_RETRY_BACKOFF_MS'),
    ]);
  });
});
