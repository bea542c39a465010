import type { Profile } from '@introeval/contracts';
import { missingKeyFacts } from './key-facts.js';
import { CRITERIA, criterionLabel, type AnchorLevel, type Criterion, type CriterionJudgements, type Rubric } from './rubric.types.js';

/** How many criteria the feedback names: enough to act on, few enough to remember. */
const WEAKEST_NAMED = 2;

/** The anchored level above a score: 1-2 aim for 3, 3-4 aim for 5. */
function nextAnchor(score: number): AnchorLevel {
  return score < 3 ? '3' : '5';
}

/**
 * The criteria below 5 with the lowest scores, at most two; ties go to the heavier weight, then to rubric order,
 * so the same scores always name the same criteria.
 */
export function weakestCriteria(rubric: Rubric, judgements: CriterionJudgements): Criterion[] {
  return CRITERIA.filter((c) => judgements[c].score < 5)
    .sort(
      (a, b) =>
        judgements[a].score - judgements[b].score ||
        rubric.criteria[b].weight - rubric.criteria[a].weight ||
        CRITERIA.indexOf(a) - CRITERIA.indexOf(b),
    )
    .slice(0, WEAKEST_NAMED);
}

/**
 * Feedback, built by code: the two weakest criteria, each with the engine's advice and the rubric's anchor for the
 * next level as the concrete target; then one line per missing key fact with a suggestion; then the notes.
 */
export function buildFeedback(
  rubric: Rubric,
  judgements: CriterionJudgements,
  profile: Profile,
  notes: readonly string[] = [],
): string[] {
  const feedback: string[] = [];
  for (const criterion of weakestCriteria(rubric, judgements)) {
    const { score, advice } = judgements[criterion];
    const level = nextAnchor(score);
    const target = `Next level (${level}/5): ${rubric.criteria[criterion].anchors[level]}`;
    feedback.push(`${criterionLabel(criterion)} (${score}/5): ${advice ? `${advice} ` : ''}${target}`);
  }
  for (const fact of missingKeyFacts(profile)) feedback.push(fact.suggestion);
  feedback.push(...notes);
  if (feedback.length === 0) {
    feedback.push('Strong introduction: keep this structure and pace, and tailor the skills you mention to each role.');
  }
  return feedback;
}
