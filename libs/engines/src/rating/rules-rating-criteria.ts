import { fieldCoverage } from './delivery-metrics.js';
import { tokenize } from './fillers.js';
import { joinWords, sentence } from './rubric/advice-text.js';
import { KEY_FACTS } from './rubric/key-facts.js';
import type { RatingFacts } from './rubric/rating-facts.js';
import type { CriterionJudgement } from './rubric/rubric.types.js';

// How RulesRatingEngine judges content, structure, clarity and professionalism: documented heuristics, no model.
// Delivery is judged by code for every engine (rubric/delivery-judgement.ts); the rubric's guards (short answers,
// text submissions) are applied afterwards by rubricResult, for every engine alike.

const clamp = (score: number): number => Math.min(5, Math.max(1, Math.round(score)));

/**
 * Content: the lower of field coverage (`1 + 5 x coverage`) and the key facts stated (6+ of 7 -> 5, 5 -> 4,
 * 3-4 -> 3, 1-2 -> 2), and at most 4 without one concrete example (project, experience, achievement).
 */
export function rateContent(f: RatingFacts): CriterionJudgement {
  const coverage = fieldCoverage(f.profile);
  const keyFacts = KEY_FACTS.filter((fact) => fact.present(f.profile)).length;
  const keyFactScore = keyFacts >= 6 ? 5 : keyFacts === 5 ? 4 : keyFacts >= 3 ? 3 : keyFacts >= 1 ? 2 : 1;
  let score = Math.min(clamp(1 + coverage * 5), keyFactScore);
  const p = f.profile;
  const evidence = p.projects.length + p.experience.length + p.achievements.length > 0;
  if (!evidence) score = Math.min(score, 4);
  let advice: string;
  if (!evidence) {
    advice =
      'Back your skills with one concrete example: a project, internship or achievement, what you did and the result.';
  } else if (coverage < 0.7 || keyFacts < 6) {
    advice =
      'Add more concrete facts about yourself: studies, skills, a project, experience or achievements, and your goal.';
  } else {
    advice = 'Add the facts that are still missing from your introduction (see below).';
  }
  return { score, advice: score < 5 ? advice : null };
}

/** The sections of a well-built introduction, in order, with the words that show each one. */
const SECTIONS: ReadonlyArray<{ name: string; cue: RegExp; where?: 'opening' | 'closing' }> = [
  {
    name: 'a greeting with your name',
    cue: /\b(?:hello|hi|hey|good (?:morning|afternoon|evening)|greetings|namaste|my name|myself)\b/,
    where: 'opening',
  },
  {
    name: 'your education',
    cue: /\b(?:student|studying|pursuing|degree|b\.?\s?tech|bachelor'?s?|master'?s?|university|college|institute|majoring|major|graduat\w*|semester)\b/,
  },
  {
    name: 'your skills and projects',
    cue: /\b(?:skills?|projects?|built|developed|intern\w*|worked|experience|proficient|programming|technologies|familiar with)\b/,
  },
  {
    name: 'your career goal',
    cue: /\b(?:goal|aspire|aspiration|ambition|dream|aim|future|career|want to (?:become|be|work|pursue)|would like to (?:become|be|work)|my god is)\b/,
  },
  { name: 'a closing line', cue: /\b(?:thank you|thanks|that's all|that is all|looking forward|nice to meet)\b/, where: 'closing' },
];

/** Where each section first appears (character index), or null; openings count only early, closings only late. */
export function sectionPositions(lower: string): Array<number | null> {
  return SECTIONS.map((section) => {
    const m = section.cue.exec(lower);
    if (!m) return null;
    if (section.where === 'opening' && m.index > lower.length * 0.25) return null;
    if (section.where === 'closing') {
      // The last closing phrase, which must sit in the final quarter.
      const all = [...lower.matchAll(new RegExp(section.cue.source, 'g'))];
      const last = all[all.length - 1];
      return last.index >= lower.length * 0.75 ? last.index : null;
    }
    return m.index;
  });
}

/**
 * Structure: greeting/name -> education -> skills/projects -> goal -> closing. One point per section present,
 * minus one per pair of sections out of order (at most two).
 */
export function rateStructure(f: RatingFacts): CriterionJudgement {
  const positions = sectionPositions(f.lower);
  const present = positions.filter((p) => p !== null).length;
  let inversions = 0;
  for (let a = 0; a < positions.length; a++) {
    for (let b = a + 1; b < positions.length; b++) {
      const first = positions[a];
      const second = positions[b];
      if (first !== null && second !== null && first > second) inversions++;
    }
  }
  const score = clamp(present - Math.min(2, inversions));
  const missing = SECTIONS.filter((_, i) => positions[i] === null).map((s) => s.name);
  let advice: string | null = null;
  if (missing.length > 0) {
    advice = `Follow the order greeting -> education -> skills and projects -> goal -> closing; add ${joinWords(missing)}.`;
  } else if (inversions > 0) {
    advice =
      'Reorder your answer: greeting and name first, then education, then skills and projects, then your goal, ' +
      'and finish with a thank-you.';
  }
  return { score, advice: score < 5 ? advice : null };
}

/**
 * Clarity: filler rate, sentence length (written text only: ASR output has no sentence punctuation) and, with
 * timings, the recogniser's mean confidence as a proxy for articulation.
 */
export function rateClarity(f: RatingFacts): CriterionJudgement {
  const advice: string[] = [];
  let score = 5;
  const fillers = f.metrics.fillerPer100;
  const fillerPenalty = fillers > 10 ? 3 : fillers > 6 ? 2 : fillers > 3 ? 1 : 0;
  if (fillerPenalty > 0) {
    score -= fillerPenalty;
    advice.push(`cut filler words (${fillers} per 100 words): pause silently instead of saying "um" or "like"`);
  }
  const sentences = f.text.split(/[.!?]+(?:\s|$)/).filter((s) => /[a-z]/i.test(s));
  if (sentences.length >= 2) {
    const average = f.wordCount / sentences.length;
    if (average > 30) {
      score -= average > 45 ? 2 : 1;
      advice.push(`shorten your sentences (about ${Math.round(average)} words each; aim for under 25)`);
    }
  }
  if (f.hasTimings) {
    const conf = f.transcript.words.reduce((sum, w) => sum + w.conf, 0) / f.transcript.words.length;
    if (conf < 0.55) {
      score -= conf < 0.4 ? 2 : 1;
      advice.push('speak a little slower and articulate each word: much of the recording was hard to recognise');
    }
  }
  return judgement(score, advice);
}

const SLANG = new Set(
  (
    "gonna wanna gotta kinda sorta yeah yep yup nope nah dude bro bruh guys lol omg cool awesome stuff ain't " +
    "y'all whatever dope legit cuz coz lit"
  ).split(' '),
);
const PROFANITY = new Set('damn shit fuck fucking crap bitch bastard'.split(' '));

/** Professionalism: informal words, profanity, a high filler rate, and whether the answer closes politely. */
export function rateProfessionalism(f: RatingFacts): CriterionJudgement {
  const tokens = tokenize(f.text);
  const slangUsed = tokens.filter((t) => SLANG.has(t));
  const profane = tokens.some((t) => PROFANITY.has(t));
  const closed = sectionPositions(f.lower)[SECTIONS.length - 1] !== null;
  let score = 5;
  const advice: string[] = [];
  if (slangUsed.length > 0) {
    score -= slangUsed.length >= 3 ? 2 : 1;
    const examples = [...new Set(slangUsed)].slice(0, 4).map((w) => `"${w}"`);
    advice.push(`replace informal words (${examples.join(', ')}) with neutral ones`);
  }
  if (profane) {
    score -= 2;
    advice.push('leave out profanity');
  }
  if (f.metrics.fillerPer100 > 5) {
    score -= 1;
    advice.push('reduce filler words');
  }
  if (!closed) {
    score -= 1;
    advice.push('end with a short closing such as "Thank you for your time."');
  }
  return judgement(score, advice);
}

function judgement(score: number, advice: string[]): CriterionJudgement {
  const clamped = clamp(score);
  return { score: clamped, advice: clamped < 5 && advice.length > 0 ? sentence(advice.join('; ')) : null };
}
