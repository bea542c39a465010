import { describe, expect, it } from '@jest/globals';
import { ConfigError, loadConfig } from '@introeval/config';
import { OPENAI_STT_VERSION } from '@introeval/engines';
import { buildSpeechToTextEngine } from './stt-engine.provider.js';
import { TranscriptionConfig } from './transcription.config.js';

/** The problems loadConfig reports for `env` (none: []). */
function problems(env: Record<string, string>): string[] {
  try {
    loadConfig(TranscriptionConfig, env);
    return [];
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
}

describe('TranscriptionConfig engine selection', () => {
  it('defaults to pocketsphinx, which needs no URL', () => {
    const config = loadConfig(TranscriptionConfig, {});
    expect(config.STT_ENGINE).toBe('pocketsphinx');
    expect(config.STT_URL).toBeUndefined();
    expect(buildSpeechToTextEngine(config).provenance.engine).toBe('pocketsphinx');
  });

  it('builds the OpenAI-compatible engine with the configured model', () => {
    const config = loadConfig(TranscriptionConfig, {
      STT_ENGINE: 'openai',
      STT_URL: 'http://gpu-node:8000',
      STT_MODEL: 'Systran/faster-distil-whisper-large-v3',
      STT_CONCURRENCY: '8',
      STT_RETRY_BACKOFF_MS: '100, 200',
    });
    expect(config.STT_RETRY_BACKOFF_MS).toEqual([100, 200]);
    expect(buildSpeechToTextEngine(config).provenance).toEqual({
      engine: 'openai',
      model: 'Systran/faster-distil-whisper-large-v3',
      version: OPENAI_STT_VERSION,
    });
  });

  it('stops at boot when the openai engine has no URL, naming the variable and why it is needed', () => {
    expect(problems({ STT_ENGINE: 'openai' })).toEqual([
      'STT_URL is required with STT_ENGINE=openai (e.g. http://gpu-node:8000) (got undefined)',
    ]);
  });

  it('refuses a URL that is not http(s), whichever engine is selected', () => {
    expect(problems({ STT_ENGINE: 'openai', STT_URL: 'gpu-node:8000' })).toEqual([
      'STT_URL must be an http(s) URL such as http://gpu-node:8000 (got "gpu-node:8000")',
    ]);
    expect(problems({ STT_URL: 'ftp://gpu-node' })).toHaveLength(1);
  });

  it('refuses an engine it does not know, listing the ones it does', () => {
    expect(problems({ STT_ENGINE: 'whisper' })).toEqual(['STT_ENGINE must be one of pocketsphinx, openai (got "whisper")']);
  });

  it('refuses a bad language, concurrency or retry list', () => {
    const found = problems({ STT_LANGUAGE: 'English', STT_CONCURRENCY: '0', STT_RETRY_BACKOFF_MS: '1,x' });
    expect(found).toEqual(
      expect.arrayContaining([
        expect.stringContaining('STT_LANGUAGE must be an ISO 639-1 code'),
        expect.stringContaining('STT_CONCURRENCY'),
        expect.stringContaining('STT_RETRY_BACKOFF_MS must be comma-separated integers'),
      ]),
    );
    expect(found.every((problem) => /^(each value in )?STT_(LANGUAGE|CONCURRENCY|RETRY_BACKOFF_MS)/.test(problem))).toBe(true);
  });
});
