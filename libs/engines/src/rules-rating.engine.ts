import type { EngineProvenance, Profile, Scores } from '@introeval/contracts';
import type { RateInput, RatingEngine, RatingResult } from './engine.types.js';
import {
  CRITERIA,
  RUBRIC_WEIGHTS,
  rateClarity,
  rateContent,
  rateDelivery,
  rateProfessionalism,
  rateStructure,
  ratingFacts,
  type Criterion,
  type CriterionResult,
  type RatingFacts,
} from './rubric-criteria.js';

/** Bump whenever a threshold, weight or rule changes: results record it, so a class is judged by one rubric. */
export const RUBRIC_VERSION = 'rubric-2026.1';

const RATERS: Record<Criterion, (f: RatingFacts) => CriterionResult> = {
  content: rateContent,
  structure: rateStructure,
  clarity: rateClarity,
  professionalism: rateProfessionalism,
  delivery: rateDelivery,
};

const LABELS: Record<Criterion, string> = {
  content: 'Content',
  structure: 'Structure',
  clarity: 'Clarity',
  professionalism: 'Professionalism',
  delivery: 'Delivery',
};

/** The facts every introduction should state, with a concrete way to add each. */
const MISSING_FIELD_ADVICE: ReadonlyArray<{ missing: (p: Profile) => boolean; advice: string }> = [
  { missing: (p) => p.name === null, advice: 'State your name in your first sentence, e.g. "My name is ...".' },
  {
    missing: (p) => p.degree === null && p.major === null,
    advice: 'Say what you study, e.g. "I am a third-year B.Tech student in Computer Science".',
  },
  { missing: (p) => p.institution === null, advice: 'Name your university or college, e.g. "... at XYZ University".' },
  {
    missing: (p) => p.skills.length === 0,
    advice: 'Name two or three skills that matter for the roles you want, e.g. Python, SQL and communication.',
  },
  {
    missing: (p) => p.projects.length === 0,
    advice: 'Describe one project: what you built, the tools you used and the result.',
  },
  {
    missing: (p) => p.careerGoal === null,
    advice: 'Close with your career goal, e.g. "My goal is to become a data engineer".',
  },
];

/** total = round(sum of weight x (score - 1) / 4): 0 when every criterion is 1, 100 when every one is 5. */
export function rubricTotal(scores: Record<Criterion, number>): number {
  return Math.round(CRITERIA.reduce((sum, c) => sum + (RUBRIC_WEIGHTS[c] * (scores[c] - 1)) / 4, 0));
}

/**
 * Deterministic rubric rating, no model: each criterion scores 1..5 from documented heuristics (rubric-criteria.ts)
 * and the total combines them with fixed weights, so the same input always gets the same scores and feedback.
 */
export class RulesRatingEngine implements RatingEngine {
  readonly provenance: EngineProvenance = { engine: 'rules', model: null, version: RUBRIC_VERSION };

  rate(input: RateInput): Promise<RatingResult> {
    return Promise.resolve(rateIntroduction(input));
  }
}

/** The synchronous core of RulesRatingEngine. */
export function rateIntroduction({ transcript, profile, metrics }: RateInput): RatingResult {
  const facts = ratingFacts(transcript, profile, metrics);
  const results = Object.fromEntries(CRITERIA.map((c) => [c, RATERS[c](facts)])) as Record<Criterion, CriterionResult>;
  const criterionScores = Object.fromEntries(CRITERIA.map((c) => [c, results[c].score])) as Record<Criterion, number>;
  const scores: Scores = { ...criterionScores, total: rubricTotal(criterionScores) };

  const feedback: string[] = [];
  // The two weakest criteria, lowest first; ties go to the heavier weight, then to rubric order.
  const weakest = CRITERIA.filter((c) => results[c].score < 5 && results[c].advice !== null)
    .sort(
      (a, b) =>
        results[a].score - results[b].score ||
        RUBRIC_WEIGHTS[b] - RUBRIC_WEIGHTS[a] ||
        CRITERIA.indexOf(a) - CRITERIA.indexOf(b),
    )
    .slice(0, 2);
  for (const c of weakest) feedback.push(`${LABELS[c]} (${results[c].score}/5): ${results[c].advice}`);
  for (const field of MISSING_FIELD_ADVICE) if (field.missing(profile)) feedback.push(field.advice);
  if (!facts.hasTimings) {
    feedback.push(
      'Delivery was judged from filler words only: this submission has no word timings, so pace and pauses were not measured.',
    );
  }
  if (feedback.length === 0) {
    feedback.push('Strong introduction: keep this structure and pace, and tailor the skills you mention to each role.');
  }
  return { scores, feedback };
}
