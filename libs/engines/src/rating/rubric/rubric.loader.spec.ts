import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import { ErrorCode } from '@introeval/contracts';
import { DEFAULT_RUBRIC_FILE, RubricError, defaultRubric, loadRubric, parseRubric } from './rubric.loader.js';

interface CriterionFile {
  id: string;
  weight: number;
  description: string;
  anchors: Record<string, string>;
  [extra: string]: unknown;
}
interface RubricFile {
  version: string;
  criteria: CriterionFile[];
  guards: Record<string, number>;
}

/** A fresh copy of the shipped file, to break one thing at a time. */
function shipped(): RubricFile {
  return JSON.parse(readFileSync(DEFAULT_RUBRIC_FILE, 'utf8')) as RubricFile;
}

function criterion(file: RubricFile, id: string): CriterionFile {
  const found = file.criteria.find((c) => c.id === id);
  if (!found) throw new Error(`no ${id} in the shipped rubric`);
  return found;
}

/** The problems parseRubric reports for `file` (fails the test when it accepts the file). */
function problemsOf(file: unknown): string[] {
  try {
    parseRubric(file, 'test.json');
  } catch (error) {
    expect(error).toBeInstanceOf(RubricError);
    return (error as RubricError).problems;
  }
  throw new Error('the rubric was accepted');
}

const dir = mkdtempSync(join(tmpdir(), 'rubric-spec-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the shipped rubric', () => {
  it('is valid, with the five criteria weighted 30/20/15/15/20 and anchors for 1, 3 and 5', () => {
    const rubric = defaultRubric();
    expect(rubric.version).toBe('rubric-2026.2');
    expect(rubric.source).toBe(DEFAULT_RUBRIC_FILE);
    expect(Object.fromEntries(Object.values(rubric.criteria).map((c) => [c.id, c.weight]))).toEqual({
      content: 30,
      structure: 20,
      clarity: 15,
      professionalism: 15,
      delivery: 20,
    });
    for (const c of Object.values(rubric.criteria)) {
      expect(Object.keys(c.anchors).sort()).toEqual(['1', '3', '5']);
    }
    expect(rubric.guards).toEqual({
      shortAnswerWords: 60,
      shortAnswerContentMax: 2,
      shortAnswerOtherMax: 3,
      briefAnswerWords: 100,
      briefAnswerContentMax: 4,
      textDeliveryMax: 4,
    });
    expect(Object.isFrozen(rubric.criteria.content.anchors)).toBe(true);
  });
});

describe('loadRubric', () => {
  it('loads a valid file from any path, with its own version', () => {
    const file = shipped();
    file.version = 'lab-7.1';
    const path = join(dir, 'lab.json');
    writeFileSync(path, JSON.stringify(file));
    const rubric = loadRubric(path);
    expect(rubric.version).toBe('lab-7.1');
    expect(rubric.source).toBe(path);
  });

  it('names a file that cannot be read', () => {
    const path = join(dir, 'missing.json');
    expect(() => loadRubric(path)).toThrow(`rubric ${path} is invalid:\n  - cannot be read: ENOENT`);
  });

  it('names a file that is not JSON, as a permanent INVALID_INPUT error', () => {
    const path = join(dir, 'broken.json');
    writeFileSync(path, '{ "version": ');
    let caught: unknown;
    try {
      loadRubric(path);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(RubricError);
    expect(caught).toMatchObject({ code: ErrorCode.InvalidInput, permanent: true, source: path });
    expect((caught as RubricError).problems).toEqual([expect.stringMatching(/^is not valid JSON: /)]);
  });
});

describe('parseRubric', () => {
  it('names weights that do not sum to 100, with each weight', () => {
    const file = shipped();
    criterion(file, 'professionalism').weight = 10;
    expect(problemsOf(file)).toEqual([
      'criteria: weights sum to 95 (content 30 + structure 20 + clarity 15 + professionalism 10 + delivery 20); they must sum to 100',
    ]);
  });

  it('names a weight that is not a whole number', () => {
    const file = shipped();
    criterion(file, 'clarity').weight = 15.5;
    expect(problemsOf(file)).toEqual(['criteria[clarity].weight: must be a whole number']);
  });

  it('names a missing or empty anchor by criterion and level', () => {
    const file = shipped();
    delete criterion(file, 'clarity').anchors['3'];
    criterion(file, 'delivery').anchors['5'] = '';
    expect(problemsOf(file)).toEqual([
      'criteria[clarity].anchors.3: is missing',
      'criteria[delivery].anchors.5: must be a non-empty text',
    ]);
  });

  it('names an unknown criterion and the one it displaced', () => {
    const file = shipped();
    criterion(file, 'clarity').id = 'charisma';
    expect(problemsOf(file)).toEqual([
      'criteria[charisma].id: must be one of content, structure, clarity, professionalism, delivery (got charisma)',
      'criteria: criterion "clarity" is missing',
    ]);
  });

  it('names a criterion given twice and one left out', () => {
    const file = shipped();
    file.criteria = file.criteria.filter((c) => c.id !== 'delivery');
    file.criteria.push({ ...criterion(file, 'content'), weight: 20 });
    expect(problemsOf(file)).toEqual([
      'criteria: criterion "content" appears 2 times',
      'criteria: criterion "delivery" is missing',
    ]);
  });

  it('names a misspelt field instead of ignoring it', () => {
    const file = shipped();
    const content = criterion(file, 'content');
    content.wieght = content.weight;
    delete (content as Partial<CriterionFile>).weight;
    expect(problemsOf(file)).toEqual([
      'criteria[content].wieght: is not a rubric field (misspelt?)',
      'criteria[content].weight: is missing',
    ]);
  });

  it('names guards that would let a short answer score high on content, or contradict each other', () => {
    const file = shipped();
    file.guards.shortAnswerContentMax = 5;
    file.guards.briefAnswerWords = 40;
    expect(problemsOf(file)).toEqual([
      'guards.shortAnswerContentMax: must be at most 3: a short answer must not score high on content',
      'guards.briefAnswerWords: must not be below guards.shortAnswerWords (40 < 60)',
    ]);
  });

  it('names a version that cannot go into a result, and missing sections', () => {
    expect(problemsOf({ version: 'my rubric' })).toEqual([
      'version: must be 1-64 letters, digits, ".", "_", "+" or "-" (it goes into every result), e.g. "rubric-2026.2"',
      'criteria: is missing',
      'guards: is missing',
    ]);
    expect(problemsOf([])).toEqual(['must be a JSON object with version, criteria and guards']);
  });

  it('lists every problem at once in the message', () => {
    const file = shipped();
    criterion(file, 'content').weight = 31;
    delete criterion(file, 'structure').anchors['1'];
    expect(() => parseRubric(file, 'lab.json')).toThrow(
      'rubric lab.json is invalid:\n' +
        '  - criteria[structure].anchors.1: is missing\n' +
        '  - criteria: weights sum to 101 (content 31 + structure 20 + clarity 15 + professionalism 15 + delivery 20); they must sum to 100',
    );
  });
});
