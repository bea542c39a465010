import { describe, expect, it } from '@jest/globals';
import { type Transcript, type Word } from '@introeval/contracts';
import { COMPLETE_INTRO } from '../complete-intro.fixture.js';
import { computeDeliveryMetrics } from './delivery-metrics.js';
import type { RatingResult } from '../engine.types.js';
import { defaultRubric } from './rubric/rubric.loader.js';
import { extractProfile } from '../extraction/rules-extraction.engine.js';
import { RulesRatingEngine } from './rules-rating.engine.js';

const RAMBLING =
  "So yeah, um, I'm like into computers and stuff, you know. I kinda do some coding sometimes, like Python I " +
  'guess, and uh I want to maybe get a job somewhere cool. Basically I like games and hanging out with my ' +
  "friends and, um, I think that's pretty much it about me. I don't really know what else to say honestly, my " +
  'college is okay I guess and the teachers are fine, and uh yeah, whatever, the food is good too.';

const TWENTY_WORDS =
  'My name is Priya, B.Tech computer science student at NIT Trichy. I know Python and built a chatbot, thank you.';

/**
 * A word timeline for `text`: each word takes `secondsPerWord` (including a 0.07 s gap), with an extra
 * `sentencePause` after each sentence and `longPauseEvery` inserting a 1.5 s hesitation every N words.
 */
function speak(text: string, { secondsPerWord = 0.43, sentencePause = 0.35, longPauseEvery = 0 } = {}): Transcript {
  const words: Word[] = [];
  let t = 0;
  text.split(/\s+/).forEach((raw, i) => {
    const w = raw.toLowerCase().replace(/[^a-z0-9'.]/g, '').replace(/\.$/, '');
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

const CRITERION_LINE = /^(Content|Structure|Clarity|Professionalism|Delivery) \(\d\/5\): /;

describe('RulesRatingEngine', () => {
  it('records the rubric version and the rules version in provenance', () => {
    expect(new RulesRatingEngine().provenance).toEqual({
      engine: 'rules',
      model: null,
      version: 'rubric-2026.2+rules-rate-2026.2',
    });
  });

  it('scores a complete, well-structured, well-paced introduction at the top', async () => {
    const { scores, feedback } = await rate(speak(COMPLETE_INTRO));
    expect(scores).toEqual({ content: 5, structure: 5, clarity: 5, professionalism: 5, delivery: 5, total: 100 });
    expect(feedback).toEqual([expect.stringMatching(/^Strong introduction/)]);
  });

  it('scores a rambling answer that misses facts far lower, and names its two weakest criteria and missing facts', async () => {
    const complete = await rate(speak(COMPLETE_INTRO));
    const rambling = await rate(speak(RAMBLING, { secondsPerWord: 0.3, longPauseEvery: 12 }));
    expect(rambling.scores.total).toBeLessThan(complete.scores.total - 40);
    expect(rambling.scores.content).toBeLessThanOrEqual(2);
    expect(rambling.scores.structure).toBeLessThanOrEqual(2);
    expect(rambling.scores.professionalism).toBeLessThanOrEqual(2);
    expect(rambling.scores.delivery).toBeLessThanOrEqual(2);

    // Exactly two criteria are named, the lowest scores first, each with advice and the next level's anchor.
    const criteria = rambling.feedback.filter((line) => CRITERION_LINE.test(line));
    expect(criteria).toHaveLength(2);
    expect(criteria[0]).toMatch(/^Structure \(1\/5\): Follow the order .+ Next level \(3\/5\): A recognisable opening/);
    expect(criteria[1]).toMatch(/^Content \(2\/5\): Back your skills .+ Next level \(3\/5\): States the basics/);
    const text = rambling.feedback.join('\n');
    expect(text).toMatch(/My name is/);
    expect(text).toMatch(/university or college/);
    expect(text).toMatch(/Describe one project/);
    expect(text).toMatch(/internship, job or achievement/);
    expect(text).not.toMatch(/judged from the text alone/);
  });

  it('never gives a 20-word answer more than 2 for content, however many facts it names, and says why', async () => {
    const profile = extractProfile(TWENTY_WORDS);
    expect(profile).toMatchObject({ name: 'Priya', degree: 'B.Tech', institution: 'NIT Trichy', skills: ['Python'] });
    for (const transcript of [asText(TWENTY_WORDS), speak(TWENTY_WORDS)]) {
      const { scores, feedback } = await rate(transcript);
      expect(scores.content).toBeLessThanOrEqual(2);
      for (const other of ['clarity', 'professionalism', 'delivery'] as const) expect(scores[other]).toBeLessThanOrEqual(3);
      expect(feedback[0]).toMatch(/^Content \(\d\/5\): Your answer has only 20 words/);
    }
  });

  it('gives the same scores and feedback for the same input', async () => {
    const transcript = speak(RAMBLING, { secondsPerWord: 0.3, longPauseEvery: 12 });
    const first = await rate(transcript);
    const second = await rate(structuredClone(transcript));
    expect(second).toEqual(first);
  });

  it('judges a text submission on fillers and length, at most 4 for delivery, and says so', async () => {
    const spoken = await rate(speak(COMPLETE_INTRO));
    const written = await rate(asText(COMPLETE_INTRO));
    expect(written.scores.delivery).toBe(4);
    // Sending text instead of a recording never earns a higher total.
    expect(written.scores.total).toBeLessThan(spoken.scores.total);
    expect(written.feedback.join('\n')).toMatch(/Delivery was judged from the text alone .* at most 4\/5/);

    const rambling = await rate(asText(RAMBLING));
    expect(rambling.scores.delivery).toBeLessThan(written.scores.delivery);
  });

  it('marks down a written answer that would run far past 90 seconds', async () => {
    // Three times the complete introduction: about 390 words, close to three minutes spoken.
    const overlong = await rate(asText([COMPLETE_INTRO, COMPLETE_INTRO, COMPLETE_INTRO].join(' ')));
    expect(overlong.scores.delivery).toBe(3);
    expect(overlong.feedback.join('\n')).toMatch(/Delivery \(3\/5\): Keep it to 45-90 seconds: spoken, this would take about 1\d\d seconds/);
  });

  it('marks down a pace far from 120-160 wpm', async () => {
    const fast = await rate(speak(COMPLETE_INTRO, { secondsPerWord: 0.28, sentencePause: 0 })); // ~214 wpm
    expect(fast.scores.delivery).toBe(2);
    expect(fast.feedback.join('\n')).toMatch(/Delivery \(2\/5\): Slow down: you spoke at 21\d words per minute; aim for 120-160/);
  });

  it('scores by the rubric it was given', async () => {
    const rubric = defaultRubric();
    // Everything on delivery: the fast reading's 2 for delivery now decides the total alone.
    const deliveryOnly = {
      ...rubric,
      version: 'delivery-only',
      criteria: {
        content: { ...rubric.criteria.content, weight: 1 },
        structure: { ...rubric.criteria.structure, weight: 1 },
        clarity: { ...rubric.criteria.clarity, weight: 1 },
        professionalism: { ...rubric.criteria.professionalism, weight: 1 },
        delivery: { ...rubric.criteria.delivery, weight: 96 },
      },
    };
    const transcript = speak(COMPLETE_INTRO, { secondsPerWord: 0.28, sentencePause: 0 });
    const profile = extractProfile(transcript.text);
    const engine = new RulesRatingEngine(deliveryOnly);
    const { scores } = await engine.rate({ transcript, profile, metrics: computeDeliveryMetrics(transcript, profile) });
    expect(scores.total).toBe(Math.round((4 * 4 + 96 * 1) / 4)); // 28
    expect(engine.provenance.version).toBe('delivery-only+rules-rate-2026.2');
  });
});
