import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import { ConfigError, loadConfig } from '@introeval/config';
import { DEFAULT_RUBRIC_FILE, FallbackEngine, RATING_PROMPT_VERSION, type RatingEngine, type Rubric } from '@introeval/engines';
import { buildRatingEngine, rubricProvider } from './rating-engine.provider.js';
import { RatingConfig } from './rating.config.js';

const dir = mkdtempSync(join(tmpdir(), 'rating-config-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The shipped rubric with `change` applied, written to a file of its own. */
function rubricFile(name: string, change: (rubric: { version: string; criteria: Array<{ weight: number }> }) => void): string {
  const rubric = JSON.parse(readFileSync(DEFAULT_RUBRIC_FILE, 'utf8')) as Parameters<typeof change>[0];
  change(rubric);
  const path = join(dir, name);
  writeFileSync(path, JSON.stringify(rubric));
  return path;
}

/** What the module's providers build from a configuration. */
function engineFor(config: RatingConfig): RatingEngine {
  const rubric = (rubricProvider as { useFactory: (c: RatingConfig) => Rubric }).useFactory(config);
  return buildRatingEngine(config, rubric);
}

/** The problems loadConfig reports for `env` (none: []). */
function problems(env: Record<string, string>): string[] {
  try {
    loadConfig(RatingConfig, env);
    return [];
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
}

const OLLAMA = { RATE_ENGINE: 'ollama', OLLAMA_URL: 'http://gpu-node:11434' };

describe('RatingConfig engine selection', () => {
  it('defaults to the rules engine without fallback, which needs no URL', () => {
    const config = loadConfig(RatingConfig, {});
    expect(config).toMatchObject({ RATE_ENGINE: 'rules', RATE_FALLBACK: 'none', OLLAMA_URL: undefined });
    expect(engineFor(config).provenance.engine).toBe('rules');
  });

  it('builds the Ollama engine with the configured model and the rubric, wrapped only when a fallback is asked for', () => {
    const config = loadConfig(RatingConfig, { ...OLLAMA, RATE_MODEL: 'llama3:8b', RATE_CONCURRENCY: '4' });
    const engine = engineFor(config);
    expect(engine).not.toBeInstanceOf(FallbackEngine);
    expect(engine.provenance).toEqual({ engine: 'ollama', model: 'llama3:8b', version: `rubric-2026.2+${RATING_PROMPT_VERSION}` });
    const guarded = engineFor(loadConfig(RatingConfig, { ...OLLAMA, RATE_FALLBACK: 'rules' }));
    expect(guarded).toBeInstanceOf(FallbackEngine);
    expect(guarded.provenance.engine).toBe('ollama');
  });

  it('stops at boot when the ollama engine has no URL, naming the variable and why it is needed', () => {
    expect(problems({ RATE_ENGINE: 'ollama', RATE_FALLBACK: 'rules' })).toEqual([
      'OLLAMA_URL is required with RATE_ENGINE=ollama (e.g. http://gpu-node:11434) (got undefined)',
    ]);
  });

  it('refuses an engine or a fallback it does not know', () => {
    expect(problems({ RATE_ENGINE: 'llama3', RATE_FALLBACK: 'ollama' })).toEqual([
      'RATE_ENGINE must be one of rules, ollama (got "llama3")',
      'RATE_FALLBACK must be one of none, rules (got "ollama")',
    ]);
  });
});

describe('RatingConfig RUBRIC_FILE', () => {
  it('defaults to the shipped rubric, whose version goes into the engine provenance', () => {
    const config = loadConfig(RatingConfig, {});
    expect(config.RUBRIC_FILE).toBe(DEFAULT_RUBRIC_FILE);
    expect(engineFor(config).provenance).toMatchObject({ engine: 'rules', version: expect.stringMatching(/^rubric-2026\.2\+/) });
  });

  it('takes another rubric file', () => {
    const path = rubricFile('lab.json', (rubric) => {
      rubric.version = 'lab-rubric-3';
    });
    const config = loadConfig(RatingConfig, { RUBRIC_FILE: path });
    expect(engineFor(config).provenance.version).toMatch(/^lab-rubric-3\+/);
  });

  it('fails at boot, naming the variable and the problem, for an invalid rubric', () => {
    const path = rubricFile('bad.json', (rubric) => {
      rubric.criteria[0].weight = 25;
    });
    let caught: unknown;
    try {
      loadConfig(RatingConfig, { RUBRIC_FILE: path });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ConfigError);
    expect((caught as ConfigError).problems).toEqual([
      'RUBRIC_FILE is not a usable rubric: criteria: weights sum to 95 (content 25 + structure 20 + clarity 15 + ' +
        `professionalism 15 + delivery 20); they must sum to 100 (got ${JSON.stringify(path)})`,
    ]);
  });

  it('fails at boot for a rubric file that does not exist', () => {
    const path = join(dir, 'nowhere.json');
    expect(() => loadConfig(RatingConfig, { RUBRIC_FILE: path })).toThrow(/RUBRIC_FILE is not a usable rubric: cannot be read: ENOENT/);
  });
});
