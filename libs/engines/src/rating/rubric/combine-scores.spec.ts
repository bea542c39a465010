import { describe, expect, it } from '@jest/globals';
import { ErrorCode } from '@introeval/contracts';
import { combineScores } from './combine-scores.js';
import { defaultRubric } from './rubric.loader.js';

describe('combineScores', () => {
  const rubric = defaultRubric();

  it('maps criteria 1..5 onto 0..100 with the rubric weights', () => {
    expect(combineScores(rubric, { content: 5, structure: 5, clarity: 5, professionalism: 5, delivery: 5 }).total).toBe(100);
    expect(combineScores(rubric, { content: 1, structure: 1, clarity: 1, professionalism: 1, delivery: 1 }).total).toBe(0);
    // (30*4 + 20*3 + 15*2 + 15*1 + 20*0) / 4 = 56.25
    expect(combineScores(rubric, { content: 5, structure: 4, clarity: 3, professionalism: 2, delivery: 1 })).toEqual({
      content: 5,
      structure: 4,
      clarity: 3,
      professionalism: 2,
      delivery: 1,
      total: 56,
    });
  });

  it('rounds the exact weighted sum once: 3s everywhere give exactly 50', () => {
    expect(combineScores(rubric, { content: 3, structure: 3, clarity: 3, professionalism: 3, delivery: 3 }).total).toBe(50);
    // (15*1 + 15*1) / 4 = 7.5 -> 8
    expect(combineScores(rubric, { content: 1, structure: 1, clarity: 2, professionalism: 2, delivery: 1 }).total).toBe(8);
  });

  it('follows the weights of the rubric it is given', () => {
    const contentOnly = {
      ...rubric,
      criteria: {
        content: { ...rubric.criteria.content, weight: 96 },
        structure: { ...rubric.criteria.structure, weight: 1 },
        clarity: { ...rubric.criteria.clarity, weight: 1 },
        professionalism: { ...rubric.criteria.professionalism, weight: 1 },
        delivery: { ...rubric.criteria.delivery, weight: 1 },
      },
    };
    expect(combineScores(contentOnly, { content: 5, structure: 1, clarity: 1, professionalism: 1, delivery: 1 }).total).toBe(96);
  });

  it.each([0, 6, 2.5, Number.NaN])('refuses a criterion score of %d', (score) => {
    expect(() => combineScores(rubric, { content: score, structure: 3, clarity: 3, professionalism: 3, delivery: 3 })).toThrow(
      expect.objectContaining({ code: ErrorCode.Internal, message: `content score ${score} is not a whole number 1..5` }),
    );
  });
});
