import type { DeliveryMetrics, Profile, Transcript } from '@introeval/contracts';
import { fieldCoverage } from './delivery-metrics.js';
import { countFillers, tokenize } from './fillers.js';

/** The rubric's criteria in the order an introduction is judged; weights sum to 100. */
export const RUBRIC_WEIGHTS = { content: 30, structure: 20, clarity: 15, professionalism: 15, delivery: 20 } as const;
export type Criterion = keyof typeof RUBRIC_WEIGHTS;
export const CRITERIA = Object.keys(RUBRIC_WEIGHTS) as Criterion[];

/** One criterion's 1..5 score and, when below 5, the concrete change that would raise it most. */
export interface CriterionResult {
  score: number;
  advice: string | null;
}

/** What every criterion looks at, computed once. */
export interface RatingFacts {
  transcript: Transcript;
  profile: Profile;
  metrics: DeliveryMetrics;
  text: string;
  lower: string;
  wordCount: number;
  fillerPer100: number;
  hasTimings: boolean;
}

export function ratingFacts(transcript: Transcript, profile: Profile, metrics: DeliveryMetrics): RatingFacts {
  const text = transcript.text.trim() || transcript.words.map((w) => w.w).join(' ');
  const { words } = countFillers(text);
  return {
    transcript,
    profile,
    metrics,
    text,
    lower: text.toLowerCase(),
    wordCount: words,
    fillerPer100: metrics.fillerPer100,
    hasTimings: transcript.words.length > 0 && metrics.wpm !== null,
  };
}

const clamp = (score: number): number => Math.min(5, Math.max(1, Math.round(score)));

/** Shortest answer that can carry the content an introduction needs (~25 s of speech). */
export const MIN_SUBSTANTIAL_WORDS = 60;
/** Below this an answer is short of a full introduction (~45 s at 130 wpm). */
export const FULL_ANSWER_WORDS = 100;

/**
 * The facts an introduction is for: who, what they study, where, what they can do, what they did, where they are
 * going. Hobbies and strengths add colour to the coverage but cannot stand in for these.
 */
export function keyFactCount(p: Profile): number {
  return [
    p.name !== null,
    p.degree !== null || p.major !== null,
    p.institution !== null,
    p.skills.length > 0,
    p.projects.length > 0,
    p.experience.length + p.achievements.length > 0,
    p.careerGoal !== null,
  ].filter(Boolean).length;
}

/**
 * Content: field coverage and key facts (the lower of the two scores), capped by substance: under 60 words at
 * most 2, under 100 words at most 4, and at most 4 without one concrete example (project, experience,
 * achievement).
 */
export function rateContent(f: RatingFacts): CriterionResult {
  const coverage = fieldCoverage(f.profile);
  const keyFacts = keyFactCount(f.profile);
  const keyFactScore = keyFacts >= 6 ? 5 : keyFacts === 5 ? 4 : keyFacts >= 3 ? 3 : keyFacts >= 1 ? 2 : 1;
  let score = Math.min(clamp(1 + coverage * 5), keyFactScore);
  const p = f.profile;
  const evidence = p.projects.length + p.experience.length + p.achievements.length > 0;
  if (f.wordCount < MIN_SUBSTANTIAL_WORDS) score = Math.min(score, 2);
  else if (f.wordCount < FULL_ANSWER_WORDS) score = Math.min(score, 4);
  if (!evidence) score = Math.min(score, 4);
  let advice: string | null = null;
  if (f.wordCount < MIN_SUBSTANTIAL_WORDS) {
    advice =
      `Your answer has only ${f.wordCount} words; aim for 100-180 words (45-75 seconds) covering your studies, ` +
      'two or three skills, one project and your career goal.';
  } else if (!evidence) {
    advice =
      'Back your skills with one concrete example: a project, internship or achievement, what you did and the result.';
  } else if (coverage < 0.7 || keyFacts < 6) {
    advice =
      'Add more concrete facts about yourself: studies, skills, a project, experience or achievements, and your goal.';
  } else if (f.wordCount < FULL_ANSWER_WORDS) {
    advice = `At ${f.wordCount} words the answer is brief; add one or two sentences on what you did in your project.`;
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
export function rateStructure(f: RatingFacts): CriterionResult {
  const positions = sectionPositions(f.lower);
  const present = positions.filter((p) => p !== null).length;
  let inversions = 0;
  for (let a = 0; a < positions.length; a++) {
    for (let b = a + 1; b < positions.length; b++) {
      if (positions[a] != null && positions[b] != null && positions[a]! > positions[b]!) inversions++;
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
export function rateClarity(f: RatingFacts): CriterionResult {
  const advice: string[] = [];
  let score = 5;
  const fillerPenalty = f.fillerPer100 > 10 ? 3 : f.fillerPer100 > 6 ? 2 : f.fillerPer100 > 3 ? 1 : 0;
  if (fillerPenalty > 0) {
    score -= fillerPenalty;
    advice.push(`cut filler words (${f.fillerPer100} per 100 words): pause silently instead of saying "um" or "like"`);
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
  return finish(f, score, advice, 'clarity');
}

const SLANG = new Set(
  (
    "gonna wanna gotta kinda sorta yeah yep yup nope nah dude bro bruh guys lol omg cool awesome stuff ain't " +
    "y'all whatever dope legit cuz coz lit"
  ).split(' '),
);
const PROFANITY = new Set('damn shit fuck fucking crap bitch bastard'.split(' '));

/** Professionalism: informal words, profanity, a high filler rate, and whether the answer closes politely. */
export function rateProfessionalism(f: RatingFacts): CriterionResult {
  const tokens = tokenize(f.text);
  const slang = [...new Set(tokens.filter((t) => SLANG.has(t)))];
  const slangCount = tokens.filter((t) => SLANG.has(t)).length;
  const profane = tokens.some((t) => PROFANITY.has(t));
  const closed = sectionPositions(f.lower)[SECTIONS.length - 1] !== null;
  let score = 5;
  const advice: string[] = [];
  if (slangCount > 0) {
    score -= slangCount >= 3 ? 2 : 1;
    advice.push(`replace informal words (${slang.slice(0, 4).map((w) => `"${w}"`).join(', ')}) with neutral ones`);
  }
  if (profane) {
    score -= 2;
    advice.push('leave out profanity');
  }
  if (f.fillerPer100 > 5) {
    score -= 1;
    advice.push('reduce filler words');
  }
  if (!closed) {
    score -= 1;
    advice.push('end with a short closing such as "Thank you for your time."');
  }
  return finish(f, score, advice, 'professionalism');
}

/** Comfortable speaking pace for a spoken introduction, words per minute. */
export const IDEAL_WPM = { min: 120, max: 160 } as const;

/**
 * Delivery: pace (ideal 120-160 wpm), fillers and pauses from word timings. Without timings (a text submission)
 * only fillers can be judged; the feedback says so.
 */
export function rateDelivery(f: RatingFacts): CriterionResult {
  const advice: string[] = [];
  let score = 5;
  const fillerPenalty = f.fillerPer100 > 6 ? 2 : f.fillerPer100 > 3 ? 1 : 0;
  if (fillerPenalty > 0) {
    score -= fillerPenalty;
    advice.push(`use fewer fillers (${f.fillerPer100} per 100 words)`);
  }
  const { wpm, pauseRatio, longPauses } = f.metrics;
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
    if ((pauseRatio ?? 0) > 0.35 || (longPauses ?? 0) > 2) {
      score -= (pauseRatio ?? 0) > 0.5 || (longPauses ?? 0) > 4 ? 2 : 1;
      advice.push(
        `keep pauses short: ${Math.round((pauseRatio ?? 0) * 100)}% of your speaking time was pauses, with ` +
          `${longPauses ?? 0} pauses over a second per minute; rehearse the order of your points`,
      );
    }
  }
  return finish(f, score, advice, 'delivery');
}

/**
 * Builds a criterion result from its penalties. An answer under MIN_SUBSTANTIAL_WORDS shows too little speech to
 * earn more than 3 on clarity, professionalism or delivery: a four-word answer has no fillers, but is no model.
 */
function finish(f: RatingFacts, score: number, advice: string[], what: string): CriterionResult {
  let capped = clamp(score);
  const notes = [...advice];
  if (f.wordCount < MIN_SUBSTANTIAL_WORDS && capped > 3) {
    capped = 3;
    notes.push(`speak for 45-75 seconds so that your ${what} can be judged`);
  }
  return { score: capped, advice: capped < 5 && notes.length > 0 ? sentence(notes.join('; ')) : null };
}

/** Capitalised, with a full stop unless it already ends with one (possibly inside a closing quote). */
function sentence(text: string): string {
  const capitalised = text.charAt(0).toUpperCase() + text.slice(1);
  return /[.!?]["']?$/.test(capitalised) ? capitalised : `${capitalised}.`;
}

function joinWords(items: readonly string[]): string {
  return items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}
