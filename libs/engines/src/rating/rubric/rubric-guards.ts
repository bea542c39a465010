import type { RatingFacts } from './rating-facts.js';
import { CRITERIA, type CriterionJudgements, type Rubric } from './rubric.types.js';

export interface GuardedJudgements {
  judgements: CriterionJudgements;
  /** Remarks about the whole rating that the feedback must carry (e.g. how a text submission was judged). */
  notes: string[];
}

/**
 * Applies the rubric's guards to what an engine judged. Caps only lower a score, and a criterion that a cap
 * lowered says why in its advice, so a student is never left wondering why good content scored 2. The caps'
 * values are the rubric's (its version covers them); a change to how they apply changes both engines' scores:
 * bump RULES_RATING_VERSION and RATING_PROMPT_VERSION.
 */
export function applyGuards(rubric: Rubric, facts: RatingFacts, judged: CriterionJudgements): GuardedJudgements {
  const g = rubric.guards;
  const judgements = Object.fromEntries(CRITERIA.map((c) => [c, { ...judged[c] }])) as CriterionJudgements;
  const notes: string[] = [];
  const words = facts.wordCount;
  const cap = (criterion: keyof CriterionJudgements, max: number, reason: string, always = false): void => {
    const judgement = judgements[criterion];
    if (judgement.score <= max && !always) return;
    judgement.score = Math.min(judgement.score, max);
    judgement.advice = judgement.advice ? `${reason} ${judgement.advice}` : reason;
  };

  if (!facts.hasTimings) {
    // Shifted, not clipped: a text that shows more fillers or runs longer still scores below a clean one.
    judgements.delivery.score = Math.max(1, judgements.delivery.score - (5 - g.textDeliveryMax));
    notes.push(
      'Delivery was judged from the text alone (filler words and length): a text submission has no word timings, ' +
        `so pace and pauses were not measured and delivery scores at most ${g.textDeliveryMax}/5. Record a video ` +
        'to have your delivery judged in full.',
    );
  }

  if (words < g.shortAnswerWords) {
    // Said even when content is already low: the length is then the first thing to fix.
    cap(
      'content',
      g.shortAnswerContentMax,
      `Your answer has only ${words} words, too few to show what you can do (content scores at most ` +
        `${g.shortAnswerContentMax}/5 under ${g.shortAnswerWords} words): aim for at least ${g.briefAnswerWords} words ` +
        '(45-90 seconds) covering your studies, two or three skills, one project and your career goal.',
      true,
    );
    for (const criterion of ['clarity', 'professionalism', 'delivery'] as const) {
      cap(
        criterion,
        g.shortAnswerOtherMax,
        `Speak for 45-90 seconds so that your ${criterion} can be judged: under ${g.shortAnswerWords} words it ` +
          `scores at most ${g.shortAnswerOtherMax}/5.`,
      );
    }
  } else if (words < g.briefAnswerWords) {
    cap(
      'content',
      g.briefAnswerContentMax,
      `At ${words} words your answer is brief (content scores at most ${g.briefAnswerContentMax}/5 under ` +
        `${g.briefAnswerWords} words): add one or two sentences on what you did in a project.`,
    );
  }
  return { judgements, notes };
}
