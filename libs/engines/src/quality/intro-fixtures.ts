import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { emptyProfile, ErrorCode, IntroEvalError, PROFILE_LIST_FIELDS, type Profile } from '@introeval/contracts';

/** The labelled introductions (libs/engines/fixtures/intros, README there): the extraction benchmark's truth. */
export const INTRO_FIXTURES_DIR = fileURLToPath(new URL('../../fixtures/intros/', import.meta.url));

export interface IntroFixture {
  id: string;
  kind: 'written' | 'asr';
  /** `tune` texts may guide rule changes; `holdout` texts are only measured. */
  split: 'tune' | 'holdout';
  /** ASR versions: the id of the written introduction they are a spoken version of. */
  of?: string;
  notes: string;
  text: string;
  expected: Profile;
}

/** Reads and checks every `NN-slug.json` in `dir`, in file-name order; a malformed file throws, naming it. */
export function loadIntroFixtures(dir: string = INTRO_FIXTURES_DIR): IntroFixture[] {
  const files = readdirSync(dir)
    .filter((file) => file.endsWith('.json'))
    .sort();
  const fixtures = files.map((file) => checkFixture(JSON.parse(readFileSync(join(dir, file), 'utf8')) as unknown, basename(file, '.json')));
  const byId = new Map(fixtures.map((f) => [f.id, f]));
  for (const f of fixtures) {
    if (f.kind !== 'asr') continue;
    const original = f.of === undefined ? undefined : byId.get(f.of);
    if (!original || original.kind !== 'written') invalid(f.id, `"of" must name a written introduction, got ${String(f.of)}`);
    // A spoken version shares its original's split, so tuning on one never leaks into the other's holdout.
    if (original.split !== f.split) invalid(f.id, `split "${f.split}" differs from its original's "${original.split}"`);
  }
  return fixtures;
}

function checkFixture(raw: unknown, fileId: string): IntroFixture {
  const f = raw as Partial<IntroFixture>;
  if (typeof raw !== 'object' || raw === null) invalid(fileId, 'not a JSON object');
  if (f.id !== fileId) invalid(fileId, `id "${String(f.id)}" differs from the file name`);
  if (!/^\d{2}-[a-z0-9-]+$/.test(fileId)) invalid(fileId, 'file name is not NN-slug.json');
  if (f.kind !== 'written' && f.kind !== 'asr') invalid(fileId, 'kind must be "written" or "asr"');
  if (f.split !== 'tune' && f.split !== 'holdout') invalid(fileId, 'split must be "tune" or "holdout"');
  if (typeof f.text !== 'string' || f.text.trim() === '') invalid(fileId, 'text is empty');
  if (typeof f.notes !== 'string') invalid(fileId, 'notes missing');
  checkProfile(fileId, f.expected);
  return f as IntroFixture;
}

function checkProfile(id: string, expected: unknown): asserts expected is Profile {
  if (typeof expected !== 'object' || expected === null) invalid(id, 'expected is not a profile');
  const profile = expected as Record<string, unknown>;
  const keys = Object.keys(emptyProfile());
  const extra = Object.keys(profile).filter((key) => !keys.includes(key));
  if (extra.length > 0) invalid(id, `expected has unknown fields ${extra.join(', ')}`);
  for (const key of keys) {
    const value = profile[key];
    const list = (PROFILE_LIST_FIELDS as readonly string[]).includes(key);
    const numeric = key === 'graduationYear' || key === 'yearOfStudy';
    const ok = list
      ? Array.isArray(value) && value.every((item) => typeof item === 'string' && item.trim() !== '')
      : value === null || (numeric ? Number.isInteger(value) : typeof value === 'string' && value.trim() !== '');
    if (!ok) invalid(id, `expected.${key} is ${JSON.stringify(value)}`);
  }
}

function invalid(id: string, problem: string): never {
  throw new IntroEvalError(ErrorCode.InvalidInput, `intro fixture ${id}: ${problem}`, true);
}
