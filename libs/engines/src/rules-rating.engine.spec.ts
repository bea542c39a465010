import { type Transcript, type Word } from '@introeval/contracts';
import { computeDeliveryMetrics } from './delivery-metrics.js';
import { extractProfile } from './rules-extraction.engine.js';
import { RulesRatingEngine, rubricTotal } from './rules-rating.engine.js';
import type { RatingResult } from './engine.types.js';
import { COMPLETE_INTRO } from './complete-intro.fixture.js';

const COMPLETE = COMPLETE_INTRO;

const RAMBLING =
  "So yeah, um, I'm like into computers and stuff, you know. I kinda do some coding sometimes, like Python I " +
  'guess, and uh I want to maybe get a job somewhere cool. Basically I like games and hanging out with my ' +
  "friends and, um, I think that's pretty much it about me. I don't really know what else to say honestly, my " +
  'college is okay I guess and the teachers are fine, and uh yeah, whatever, the food is good too.';

/**
 * A word timeline for `text`: each word takes `secondsPerWord` (including a 0.07 s gap), with an extra
 * `sentencePause` after each sentence and `longPauseEvery` inserting a 1.5 s hesitation every N words.
 */
function speak(
  text: string,
  { secondsPerWord = 0.43, sentencePause = 0.35, longPauseEvery = 0 } = {},
): Transcript {
  const words: Word[] = [];
  let t = 0;
  text.split(/\s+/).forEach((raw, i) => {
    const w = raw.toLowerCase().replace(/[^a-z0-9']/g, '');
    if (!w) return;
    words.push({ w, start: Math.round(t * 1000) / 1000, end: Math.round((t + secondsPerWord - 0.07) * 1000) / 1000, conf: 0.9 });
    t += secondsPerWord;
    if (/[.!?]$/.test(raw)) t += sentencePause;
    if (longPauseEvery > 0 && (i + 1) % longPauseEvery === 0) t += 1.5;
  });
  return { text: words.map((w) => w.w).join(' '), words, engine: 'test', model: null, durationSec: t };
}

function asText(text: string): Transcript {
  return { text, words: [], engine: 'text', model: null, durationSec: null };
}

async function rate(transcript: Transcript): Promise<RatingResult> {
  const profile = extractProfile(transcript.text);
  return new RulesRatingEngine().rate({ transcript, profile, metrics: computeDeliveryMetrics(transcript, profile) });
}

describe('RulesRatingEngine', () => {
  it('records the rubric version in provenance', () => {
    expect(new RulesRatingEngine().provenance).toEqual({ engine: 'rules', model: null, version: 'rubric-2026.1' });
  });

  it('scores a complete, well-structured, well-paced introduction at the top', async () => {
    const { scores, feedback } = await rate(speak(COMPLETE));
    expect(scores).toEqual({ content: 5, structure: 5, clarity: 5, professionalism: 5, delivery: 5, total: 100 });
    expect(feedback).toHaveLength(1);
    expect(feedback[0]).toMatch(/^Strong introduction/);
  });

  it('scores a rambling answer that misses facts far lower, and says why', async () => {
    const complete = await rate(speak(COMPLETE));
    const rambling = await rate(speak(RAMBLING, { secondsPerWord: 0.3, longPauseEvery: 12 }));
    expect(rambling.scores.total).toBeLessThan(complete.scores.total - 40);
    expect(rambling.scores.content).toBeLessThanOrEqual(2);
    expect(rambling.scores.structure).toBeLessThanOrEqual(2);
    expect(rambling.scores.professionalism).toBeLessThanOrEqual(2);
    expect(rambling.scores.delivery).toBeLessThanOrEqual(2);

    // Exactly the two weakest criteria are named, each with a concrete suggestion.
    const criteria = rambling.feedback.filter((line) => /^(Content|Structure|Clarity|Professionalism|Delivery) \(\d\/5\): /.test(line));
    expect(criteria).toHaveLength(2);
    expect(rambling.feedback.join('\n')).toMatch(/My name is/);
    expect(rambling.feedback.join('\n')).toMatch(/university or college/);
    expect(rambling.feedback.join('\n')).toMatch(/Describe one project/);
    expect(rambling.feedback.join('\n')).not.toMatch(/judged from filler words only/);
  });

  it('never gives a 20-word answer more than 2 for content, however many facts it names', async () => {
    const short = 'My name is Priya, a B.Tech computer science student at NIT Trichy. I know Python and built a chatbot.';
    const profile = extractProfile(short);
    expect(profile).toMatchObject({ name: 'Priya', degree: 'B.Tech', institution: 'NIT Trichy', skills: ['Python'] });
    for (const transcript of [asText(short), speak(short)]) {
      const { scores, feedback } = await rate(transcript);
      expect(scores.content).toBeLessThanOrEqual(2);
      expect(feedback.join('\n')).toMatch(/only 19 words/);
    }
  });

  it('gives the same scores and feedback for the same input', async () => {
    const transcript = speak(RAMBLING, { secondsPerWord: 0.3, longPauseEvery: 12 });
    const first = await rate(transcript);
    const second = await rate(structuredClone(transcript));
    expect(second).toEqual(first);
  });

  it('judges delivery of a text submission from fillers only, and says so', async () => {
    const { scores, feedback } = await rate(asText(COMPLETE));
    expect(scores.delivery).toBe(5);
    expect(feedback).toContain(
      'Delivery was judged from filler words only: this submission has no word timings, so pace and pauses were not measured.',
    );
    const rambling = await rate(asText(RAMBLING));
    expect(rambling.scores.delivery).toBeLessThan(5);
  });

  it('marks down a pace far from 120-160 wpm', async () => {
    const fast = await rate(speak(COMPLETE, { secondsPerWord: 0.28, sentencePause: 0 })); // ~214 wpm
    expect(fast.scores.delivery).toBe(2);
    expect(fast.feedback.join('\n')).toMatch(/Delivery \(2\/5\): Slow down: you spoke at 21\d words per minute; aim for 120-160/);
  });
});

describe('rubricTotal', () => {
  it('maps criteria 1..5 onto 0..100 with the fixed weights', () => {
    expect(rubricTotal({ content: 5, structure: 5, clarity: 5, professionalism: 5, delivery: 5 })).toBe(100);
    expect(rubricTotal({ content: 1, structure: 1, clarity: 1, professionalism: 1, delivery: 1 })).toBe(0);
    // 30*4/4 + 20*3/4 + 15*2/4 + 15*1/4 + 0 = 56.25
    expect(rubricTotal({ content: 5, structure: 4, clarity: 3, professionalism: 2, delivery: 1 })).toBe(56);
  });
});
