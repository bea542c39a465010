import { describe, expect, it } from '@jest/globals';
import { emptyProfile, PROFILE_LIST_FIELDS, PROFILE_SCALAR_FIELDS } from '@introeval/contracts';
import { validateAnswer } from '../http/validate-answer.js';
import { ProfileAnswerDto, profileFromAnswer } from './profile-answer.dto.js';
import { PROFILE_JSON_SCHEMA } from './profile.schema.js';

const FULL = {
  name: ' Priya Sharma ',
  degree: 'B.Tech',
  major: 'computer science',
  institution: 'National Institute of Technology',
  graduationYear: 2026,
  yearOfStudy: 4,
  skills: ['Python', 'python', ' SQL ', ''],
  projects: ['crop price predictor'],
  experience: [],
  achievements: [],
  hobbies: ['chess'],
  careerGoal: '  ',
  strengths: ['teamwork'],
};

describe('profile answer: schema and DTO', () => {
  it('the schema requires exactly the profile fields and allows nothing else', () => {
    const schema = PROFILE_JSON_SCHEMA as { properties: Record<string, unknown>; required: string[]; additionalProperties: boolean };
    const fields = [...PROFILE_SCALAR_FIELDS, ...PROFILE_LIST_FIELDS].sort();
    expect(Object.keys(schema.properties).sort()).toEqual(fields);
    expect([...schema.required].sort()).toEqual(fields);
    expect(schema.additionalProperties).toBe(false);
    expect(Object.keys(emptyProfile()).sort()).toEqual(fields);
  });

  it('accepts an empty profile (nothing stated) and a full one', async () => {
    expect((await validateAnswer(ProfileAnswerDto, emptyProfile(), { forbidUnknown: true })).ok).toBe(true);
    expect((await validateAnswer(ProfileAnswerDto, FULL, { forbidUnknown: true })).ok).toBe(true);
  });

  it('names every problem in words the model can act on', async () => {
    const { name: _missing, ...rest } = emptyProfile();
    const checked = await validateAnswer(
      ProfileAnswerDto,
      { ...rest, graduationYear: 'twenty twenty six', yearOfStudy: 0, skills: 'python', mood: 'happy' },
      { forbidUnknown: true },
    );
    expect(checked.ok).toBe(false);
    const problems = checked.ok ? [] : checked.problems;
    expect(problems).toEqual(
      expect.arrayContaining([
        'name must be a string or null',
        'graduationYear must be a whole number (a year such as 2026) or null',
        'yearOfStudy must be at least 1, or null',
        'skills must be an array of strings ([] when not stated)',
        'property mood should not exist',
      ]),
    );
  });

  it('cleans a valid answer into a profile: trimmed, blanks to null, repeats dropped', async () => {
    const checked = await validateAnswer(ProfileAnswerDto, FULL, { forbidUnknown: true });
    if (!checked.ok) throw new Error(checked.problems.join('; '));
    expect(profileFromAnswer(checked.value)).toEqual({
      ...FULL,
      name: 'Priya Sharma',
      skills: ['Python', 'SQL'],
      careerGoal: null,
    });
  });
});
