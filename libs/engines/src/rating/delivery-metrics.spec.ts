import { describe, expect, it } from '@jest/globals';
import { emptyProfile, type Transcript, type Word } from '@introeval/contracts';
import { computeDeliveryMetrics, fieldCoverage } from './delivery-metrics.js';
import { countFillers } from './fillers.js';

function timed(words: Array<[string, number, number]>): Transcript {
  const list: Word[] = words.map(([w, start, end]) => ({ w, start, end, conf: 0.9 }));
  return { text: list.map((w) => w.w).join(' '), words: list, engine: 'test', model: null, durationSec: null };
}

function text(content: string): Transcript {
  return { text: content, words: [], engine: 'text', model: null, durationSec: null };
}

describe('computeDeliveryMetrics', () => {
  it('measures pace, pauses, runs and fillers on a word timeline', () => {
    // 10 words over 6.0 s of speaking time (0.0 .. 6.0). Gaps: 0.1 (no pause), 0.4 (pause), 1.5 (long pause),
    // 0.25 (pause: the threshold is inclusive). One filler ("um").
    const transcript = timed([
      ['hello', 0.0, 0.5],
      ['my', 0.6, 0.8],
      ['name', 0.8, 1.1],
      ['is', 1.5, 1.7],
      ['um', 1.7, 2.0],
      ['ravi', 3.5, 4.0],
      ['and', 4.25, 4.5],
      ['i', 4.5, 4.6],
      ['study', 4.6, 5.0],
      ['physics', 5.0, 6.0],
    ]);
    expect(computeDeliveryMetrics(transcript, emptyProfile())).toEqual({
      wpm: 100, // 10 words / 0.1 min
      fillerPer100: 10, // 1 of 10 words
      pauseRatio: 0.36, // (0.4 + 1.5 + 0.25) / 6.0 = 0.3583
      longPauses: 10, // 1 gap > 1 s in 0.1 min
      fieldCoverage: 0,
      meanLengthOfRun: 2.5, // 3 pauses cut 10 words into 4 runs: hello my name | is um | ravi | and i study physics
    });
  });

  it('counts long pauses per speaking minute, and a gap of exactly 1 s as a pause but not a long one', () => {
    // 30 s of speaking (half a minute); gaps 1.5, 1.5, 1.0, 1.5.
    const transcript = timed([
      ['so', 0, 4],
      ['i', 5.5, 9],
      ['built', 10.5, 14],
      ['a', 15, 19],
      ['robot', 20.5, 30],
    ]);
    expect(computeDeliveryMetrics(transcript, emptyProfile())).toMatchObject({
      wpm: 10, // 5 words / 0.5 min
      pauseRatio: 0.18, // 5.5 / 30 = 0.1833
      longPauses: 6, // 3 gaps > 1 s / 0.5 min
      meanLengthOfRun: 1, // every gap is a pause: 5 runs of one word
    });
  });

  it('counts a clause-opening "like" as a filler but not the verb in "I like Python"', () => {
    const transcript = timed([
      ['like', 0, 0.3],
      ['i', 0.3, 0.4],
      ['am', 0.4, 0.6],
      ['um', 0.6, 0.9],
      ['ravi', 0.9, 1.3],
      ['and', 1.3, 1.5],
      ['i', 1.5, 1.6],
      ['like', 1.6, 1.9],
      ['python', 1.9, 2.4],
    ]);
    // 9 words, 2 fillers ("like" opening the answer, "um"); 9 words in 2.4 s = 225 wpm; no pause: one run.
    expect(computeDeliveryMetrics(transcript, emptyProfile())).toMatchObject({
      fillerPer100: 22.22,
      wpm: 225,
      pauseRatio: 0,
      longPauses: 0,
      meanLengthOfRun: 9,
    });
  });

  it('counts speaking time from the first word, not from the start of the file', () => {
    const transcript = timed([
      ['good', 10, 10.5],
      ['morning', 10.5, 11],
      ['everyone', 11, 12],
    ]);
    // 3 words in 2 s: 90 wpm; no gap at all.
    expect(computeDeliveryMetrics(transcript, emptyProfile())).toMatchObject({
      wpm: 90,
      pauseRatio: 0,
      longPauses: 0,
      meanLengthOfRun: 3,
    });
  });

  it('leaves timing metrics null for a text submission and counts fillers in the text', () => {
    const metrics = computeDeliveryMetrics(text('Um, so like, I am Ravi. You know, I basically like chess.'), {
      ...emptyProfile(),
      name: 'Ravi',
      hobbies: ['chess'],
    });
    // Fillers: "um", clause-initial "like" (after "so"), "you know"; 12 words.
    expect(metrics).toEqual({
      wpm: null,
      fillerPer100: 25,
      pauseRatio: null,
      longPauses: null,
      fieldCoverage: 0.15,
      meanLengthOfRun: null,
    });
  });

  it('handles an empty transcript', () => {
    expect(computeDeliveryMetrics(text(''), emptyProfile())).toEqual({
      wpm: null,
      fillerPer100: 0,
      pauseRatio: null,
      longPauses: null,
      fieldCoverage: 0,
      meanLengthOfRun: null,
    });
  });
});

describe('fieldCoverage', () => {
  it('is the share of the 13 profile fields that are filled', () => {
    expect(fieldCoverage(emptyProfile())).toBe(0);
    const four = { ...emptyProfile(), name: 'A', graduationYear: 2025, skills: ['Python'], strengths: ['x'] };
    expect(fieldCoverage(four)).toBeCloseTo(4 / 13, 10);
  });
});

describe('countFillers', () => {
  it.each([
    ['I like chess', 0, 3],
    ['I like Python', 0, 3],
    ['like I said I like Python', 1, 6],
    ['I actually built it', 0, 4],
    ['sports, like cricket', 0, 3],
    ['uh I mean it is fine', 2, 6],
    ['er ah hmm', 3, 3],
    ['it was fine, like, I think', 1, 6],
    ['so basically i built it and actually it works', 2, 9],
    ['you know I know you', 1, 5],
    ['Hmm. Actually, yes.', 2, 3],
  ])('%s -> %d fillers in %d words', (content, fillers, words) => {
    expect(countFillers(content)).toEqual({ fillers, words });
  });
});
