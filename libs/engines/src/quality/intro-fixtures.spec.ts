import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from '@jest/globals';
import { emptyProfile } from '@introeval/contracts';
import { loadIntroFixtures } from './intro-fixtures.js';

describe('the labelled introductions', () => {
  const fixtures = loadIntroFixtures();

  it('hold at least 30 written introductions and 10 ASR versions, about a third held out', () => {
    const written = fixtures.filter((f) => f.kind === 'written');
    const asr = fixtures.filter((f) => f.kind === 'asr');
    expect(written.length).toBeGreaterThanOrEqual(30);
    expect(asr.length).toBeGreaterThanOrEqual(10);
    const heldOut = written.filter((f) => f.split === 'holdout').length / written.length;
    expect(heldOut).toBeGreaterThan(0.25);
    expect(heldOut).toBeLessThan(0.4);
  });

  it('label ASR versions as lowercase text without punctuation', () => {
    for (const f of fixtures.filter((x) => x.kind === 'asr')) {
      expect({ id: f.id, clean: f.text === f.text.toLowerCase() && !/[,;:!?]/.test(f.text) }).toEqual({ id: f.id, clean: true });
    }
  });
});

describe('loadIntroFixtures', () => {
  let dir: string;
  const write = (name: string, body: unknown): void => writeFileSync(join(dir, name), JSON.stringify(body));
  const fixture = (id: string, extra: object = {}): object => ({
    id,
    kind: 'written',
    split: 'tune',
    notes: '',
    text: 'Hi, I am Sneha.',
    expected: { ...emptyProfile(), name: 'Sneha' },
    ...extra,
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('names the file and the problem of a malformed fixture', () => {
    dir = mkdtempSync(join(tmpdir(), 'intro-fixtures-'));
    write('01-a.json', fixture('01-a', { expected: { ...emptyProfile(), graduationYear: '2025' } }));
    expect(() => loadIntroFixtures(dir)).toThrow('intro fixture 01-a: expected.graduationYear is "2025"');
  });

  it('refuses an id that differs from the file name, and an ASR version of nothing or across splits', () => {
    dir = mkdtempSync(join(tmpdir(), 'intro-fixtures-'));
    write('01-a.json', fixture('01-b'));
    expect(() => loadIntroFixtures(dir)).toThrow('differs from the file name');
    write('01-a.json', fixture('01-a'));
    write('02-asr-a.json', fixture('02-asr-a', { kind: 'asr', of: '09-missing' }));
    expect(() => loadIntroFixtures(dir)).toThrow('"of" must name a written introduction');
    write('02-asr-a.json', fixture('02-asr-a', { kind: 'asr', of: '01-a', split: 'holdout' }));
    expect(() => loadIntroFixtures(dir)).toThrow(`split "holdout" differs from its original's "tune"`);
    write('02-asr-a.json', fixture('02-asr-a', { kind: 'asr', of: '01-a' }));
    expect(loadIntroFixtures(dir).map((f) => f.id)).toEqual(['01-a', '02-asr-a']);
  });
});
