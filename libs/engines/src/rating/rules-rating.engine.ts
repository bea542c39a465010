import type { EngineProvenance } from '@introeval/contracts';
import type { RateInput, RatingEngine, RatingResult } from '../engine.types.js';
import { judgeDelivery } from './rubric/delivery-judgement.js';
import { ratingFacts } from './rubric/rating-facts.js';
import { defaultRubric } from './rubric/rubric.loader.js';
import { rubricResult } from './rubric/rubric-rating.js';
import type { CriterionJudgements, Rubric } from './rubric/rubric.types.js';
import { rateClarity, rateContent, rateProfessionalism, rateStructure } from './rules-rating-criteria.js';

/**
 * Version of the rules' heuristics (rules-rating-criteria.ts, delivery-judgement.ts). Bump it whenever a
 * threshold or rule there changes; the rubric's own version covers its weights, anchors and guards.
 */
export const RULES_RATING_VERSION = 'rules-rate-2026.2';

/**
 * Deterministic rubric rating, no model: each criterion scores 1..5 from documented heuristics and the rubric
 * combines them (guards, weighted total, feedback), so the same input always gets the same scores and feedback.
 * Provenance records `<rubric version>+<rules version>`: both decide a score.
 */
export class RulesRatingEngine implements RatingEngine {
  readonly provenance: EngineProvenance;

  constructor(private readonly rubric: Rubric = defaultRubric()) {
    this.provenance = { engine: 'rules', model: null, version: `${rubric.version}+${RULES_RATING_VERSION}` };
  }

  rate(input: RateInput): Promise<RatingResult> {
    return Promise.resolve(rateIntroduction(this.rubric, input));
  }
}

/** The synchronous core of RulesRatingEngine. */
export function rateIntroduction(rubric: Rubric, { transcript, profile, metrics }: RateInput): RatingResult {
  const facts = ratingFacts(transcript, profile, metrics);
  const judged: CriterionJudgements = {
    content: rateContent(facts),
    structure: rateStructure(facts),
    clarity: rateClarity(facts),
    professionalism: rateProfessionalism(facts),
    delivery: judgeDelivery(facts),
  };
  return rubricResult(rubric, facts, judged);
}
