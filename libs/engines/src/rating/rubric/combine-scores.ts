import { ErrorCode, IntroEvalError, type Scores } from '@introeval/contracts';
import { CRITERIA, type CriterionScores, type Rubric } from './rubric.types.js';

/**
 * The total, mechanically: round(sum of weight x (score - 1) / 4), so all 1s give 0 and all 5s give 100. Only
 * code combines scores, never a model, so the same criterion scores always give the same total.
 */
export function combineScores(rubric: Rubric, criteria: CriterionScores): Scores {
  for (const criterion of CRITERIA) {
    const score = criteria[criterion];
    if (!Number.isInteger(score) || score < 1 || score > 5) {
      // A bug in an engine (a model's answer is validated before it gets here): retrying cannot help.
      throw IntroEvalError.permanent(ErrorCode.Internal, `${criterion} score ${String(score)} is not a whole number 1..5`);
    }
  }
  const weighted = CRITERIA.reduce((sum, c) => sum + rubric.criteria[c].weight * (criteria[c] - 1), 0);
  return {
    content: criteria.content,
    structure: criteria.structure,
    clarity: criteria.clarity,
    professionalism: criteria.professionalism,
    delivery: criteria.delivery,
    // Divided once at the end, so the rounding sees the exact sum (weights are whole numbers).
    total: Math.round(weighted / 4),
  };
}
