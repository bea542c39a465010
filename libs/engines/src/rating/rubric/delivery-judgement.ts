import type { RatingFacts } from './rating-facts.js';
import { sentence } from './advice-text.js';
import type { CriterionJudgement } from './rubric.types.js';

/** Comfortable speaking pace for a spoken introduction, words per minute. */
export const IDEAL_WPM = { min: 120, max: 160 } as const;
/** Past this an introduction runs long: the rubric asks for 45-90 seconds, with some slack. */
export const LONGEST_INTRO_SEC = 120;
/** Pace assumed to turn a written answer's length into speaking time (the middle of IDEAL_WPM). */
const ASSUMED_WPM = 140;

/**
 * Delivery, judged by code from the metrics for every engine (a model cannot hear pace or pauses): 5 minus
 * penalties for fillers, length, and, where there are word timings, pace and pauses. A text submission is judged
 * on fillers and length only; the rubric's guard caps it below a recording's best (applyGuards says so).
 * A change here changes both engines' scores: bump RULES_RATING_VERSION and RATING_PROMPT_VERSION.
 */
export function judgeDelivery(f: RatingFacts): CriterionJudgement {
  const advice: string[] = [];
  let score = 5;
  const { fillerPer100, wpm, pauseRatio, longPauses } = f.metrics;

  const fillerPenalty = fillerPer100 > 6 ? 2 : fillerPer100 > 3 ? 1 : 0;
  if (fillerPenalty > 0) {
    score -= fillerPenalty;
    advice.push(`use fewer fillers (${fillerPer100} per 100 words)`);
  }

  const seconds = f.speakingSec ?? (f.wordCount / ASSUMED_WPM) * 60;
  if (seconds > LONGEST_INTRO_SEC) {
    score -= 1;
    advice.push(
      `keep it to 45-90 seconds: ${f.hasTimings ? 'you spoke for' : 'spoken, this would take'} about ` +
        `${Math.round(seconds)} seconds`,
    );
  }

  if (f.hasTimings && wpm !== null) {
    const off = wpm < IDEAL_WPM.min ? IDEAL_WPM.min - wpm : wpm > IDEAL_WPM.max ? wpm - IDEAL_WPM.max : 0;
    const pacePenalty = off === 0 ? 0 : off <= 20 ? 1 : off <= 40 ? 2 : 3;
    if (pacePenalty > 0) {
      score -= pacePenalty;
      advice.push(
        `${wpm < IDEAL_WPM.min ? 'speed up' : 'slow down'}: you spoke at ${Math.round(wpm)} words per minute; aim for ` +
          `${IDEAL_WPM.min}-${IDEAL_WPM.max}`,
      );
    }
    const ratio = pauseRatio ?? 0;
    const long = longPauses ?? 0;
    if (ratio > 0.35 || long > 2) {
      score -= ratio > 0.5 || long > 4 ? 2 : 1;
      advice.push(
        `keep pauses short: ${Math.round(ratio * 100)}% of your speaking time was pauses, with ${long} pauses over a ` +
          'second per minute; rehearse the order of your points',
      );
    }
  }
  const clamped = Math.min(5, Math.max(1, score));
  return { score: clamped, advice: clamped < 5 && advice.length > 0 ? sentence(advice.join('; ')) : null };
}
