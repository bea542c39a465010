import type { RatingResult } from '../../engine.types.js';
import { combineScores } from './combine-scores.js';
import type { RatingFacts } from './rating-facts.js';
import { buildFeedback } from './rating-feedback.js';
import { applyGuards } from './rubric-guards.js';
import { CRITERIA, type CriterionJudgements, type CriterionScores, type Rubric } from './rubric.types.js';

/**
 * The part of rating that is the same for every engine: guards, the weighted total and the feedback. An engine
 * only judges the criteria; everything that turns judgements into a result is code, so it is reproducible.
 */
export function rubricResult(rubric: Rubric, facts: RatingFacts, judged: CriterionJudgements): RatingResult {
  const { judgements, notes } = applyGuards(rubric, facts, judged);
  const criterionScores = Object.fromEntries(CRITERIA.map((c) => [c, judgements[c].score])) as CriterionScores;
  return {
    scores: combineScores(rubric, criterionScores),
    feedback: buildFeedback(rubric, judgements, facts.profile, notes),
  };
}
