import { describe, expect, it } from '@jest/globals';
import { emptyProfile, type Transcript, type Word } from '@introeval/contracts';
import { computeDeliveryMetrics } from '../delivery-metrics.js';
import { ratingFacts, type RatingFacts } from './rating-facts.js';
import { applyGuards } from './rubric-guards.js';
import { defaultRubric } from './rubric.loader.js';
import type { CriterionJudgements } from './rubric.types.js';

/** `n` words of filler-free text, spoken at 150 wpm when `spoken`, else submitted as text. */
function facts(n: number, spoken: boolean): RatingFacts {
  const tokens = Array.from({ length: n }, (_, i) => `word${i}`);
  const words: Word[] = spoken ? tokens.map((w, i) => ({ w, start: i * 0.4, end: i * 0.4 + 0.35, conf: 0.9 })) : [];
  const transcript: Transcript = { text: tokens.join(' '), words, engine: 'test', model: null, durationSec: null };
  return ratingFacts(transcript, emptyProfile(), computeDeliveryMetrics(transcript, emptyProfile()));
}

function all(score: number, advice: string | null = null): CriterionJudgements {
  const one = { score, advice };
  return { content: { ...one }, structure: { ...one }, clarity: { ...one }, professionalism: { ...one }, delivery: { ...one } };
}

const scoresOf = (j: CriterionJudgements): Record<string, number> =>
  Object.fromEntries(Object.entries(j).map(([c, { score }]) => [c, score]));

describe('applyGuards', () => {
  const rubric = defaultRubric();

  it('caps a 20-word answer at 2 for content and 3 for clarity, professionalism and delivery, and says why', () => {
    const { judgements, notes } = applyGuards(rubric, facts(20, true), all(5));
    expect(scoresOf(judgements)).toEqual({ content: 2, structure: 5, clarity: 3, professionalism: 3, delivery: 3 });
    expect(judgements.content.advice).toMatch(/^Your answer has only 20 words, too few .* at most 2\/5 under 60 words/);
    expect(judgements.clarity.advice).toBe(
      'Speak for 45-90 seconds so that your clarity can be judged: under 60 words it scores at most 3/5.',
    );
    expect(notes).toEqual([]);
  });

  it('names the length first even when content was already low, and keeps the engine advice after it', () => {
    const { judgements } = applyGuards(rubric, facts(59, true), all(1, 'Say more.'));
    expect(judgements.content.score).toBe(1);
    expect(judgements.content.advice).toMatch(/^Your answer has only 59 words.* Say more\.$/);
    // A cap that did not lower a score adds nothing.
    expect(judgements.clarity.advice).toBe('Say more.');
  });

  it('caps only content, at 4, for a brief answer of 60-99 words', () => {
    const { judgements } = applyGuards(rubric, facts(80, true), all(5));
    expect(scoresOf(judgements)).toEqual({ content: 4, structure: 5, clarity: 5, professionalism: 5, delivery: 5 });
    expect(judgements.content.advice).toMatch(/^At 80 words your answer is brief/);
  });

  it('leaves a full-length recording as judged', () => {
    const judged = all(5);
    expect(applyGuards(rubric, facts(100, true), judged)).toEqual({ judgements: judged, notes: [] });
  });

  it('lowers delivery of a text submission by one point, never below 1, and notes it', () => {
    const good = applyGuards(rubric, facts(120, false), all(5));
    expect(good.judgements.delivery.score).toBe(4);
    expect(good.notes).toEqual([expect.stringMatching(/^Delivery was judged from the text alone/)]);
    expect(applyGuards(rubric, facts(120, false), all(3)).judgements.delivery.score).toBe(2);
    expect(applyGuards(rubric, facts(120, false), all(1)).judgements.delivery.score).toBe(1);
  });

  it('gives a short text answer no better delivery than a short recording', () => {
    const text = applyGuards(rubric, facts(20, false), all(5)).judgements.delivery.score;
    const spoken = applyGuards(rubric, facts(20, true), all(5)).judgements.delivery.score;
    expect(text).toBeLessThanOrEqual(spoken);
  });

  it('does not change what it was given', () => {
    const judged = all(5);
    applyGuards(rubric, facts(20, false), judged);
    expect(judged).toEqual(all(5));
  });
});
