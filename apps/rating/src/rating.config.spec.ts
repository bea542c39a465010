import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import { ConfigError, loadConfig } from '@introeval/config';
import { DEFAULT_RUBRIC_FILE, type RatingEngine, type Rubric } from '@introeval/engines';
import { ratingEngineProvider, rubricProvider } from './rating-engine.provider.js';
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
  return (ratingEngineProvider as { useFactory: (c: RatingConfig, r: Rubric) => RatingEngine }).useFactory(config, rubric);
}

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
