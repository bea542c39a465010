import { normalizeSpokenYears } from './spoken-numbers.js';
import { titleCaseIfLower, trimSpan, type IntroText, type Span } from './text-tools.js';

/** A degree as it is usually written, with the spellings seen in text and in ASR output ("b tech"). */
interface DegreeEntry {
  name: string;
  pattern: RegExp;
  /** Years in the programme, where a "final year" student's year of study is then clear. */
  years: number | null;
}

const OF = String.raw`(?:'?s)?(?: degree)?(?: of| in)`;

const DEGREES: readonly DegreeEntry[] = [
  { name: 'PhD', pattern: /\bph\.?\s?d\b\.?|\bp h d\b|\bdoctora(?:te|l)\b/g, years: null },
  { name: 'M.Tech', pattern: new RegExp(String.raw`\bm\.?\s?tech\b|\bmaster${OF} technology\b`, 'g'), years: 2 },
  { name: 'MBA', pattern: new RegExp(String.raw`\bm\.?\s?b\.?\s?a\b|\bmaster${OF} business administration\b`, 'g'), years: 2 },
  { name: 'MCA', pattern: new RegExp(String.raw`\bm\.?\s?c\.?\s?a\b|\bmaster${OF} computer applications?\b`, 'g'), years: 2 },
  { name: 'MSc', pattern: new RegExp(String.raw`\bm\.?\s?s\.?\s?c\b|\bmaster${OF} science\b|\bm\.s\.(?=\s|$)|\bms in\b`, 'g'), years: 2 },
  { name: 'M.E.', pattern: new RegExp(String.raw`\bmaster${OF} engineering\b|\bm\.e\.(?=\s|$)`, 'g'), years: 2 },
  { name: 'MA', pattern: new RegExp(String.raw`\bmaster${OF} arts\b|\bm\.a\.(?=\s|$)`, 'g'), years: 2 },
  {
    name: 'B.Tech',
    pattern: new RegExp(String.raw`\bb\.?\s?tech\b|\bbe tech\b|\bbachelor${OF} technology\b`, 'g'),
    years: 4,
  },
  { name: 'B.E.', pattern: new RegExp(String.raw`\bbachelor${OF} engineering\b|\bb\.\s?e\.(?=\s|$|,)`, 'g'), years: 4 },
  { name: 'BCA', pattern: new RegExp(String.raw`\bb\.?\s?c\.?\s?a\b|\bbachelor${OF} computer applications?\b`, 'g'), years: null },
  { name: 'BBA', pattern: new RegExp(String.raw`\bb\.?\s?b\.?\s?a\b|\bbachelor${OF} business administration\b`, 'g'), years: null },
  { name: 'B.Com', pattern: new RegExp(String.raw`\bb\.\s?com\b|\bbcom\b|\bbachelor${OF} commerce\b`, 'g'), years: null },
  {
    name: 'BSc',
    pattern: new RegExp(String.raw`\bb\.?\s?s\.?\s?c\b|\bb\.?\s?sc\b|\bbachelor${OF} science\b|\bb\.s\.(?=\s|$)|\bbs in\b`, 'g'),
    years: null,
  },
  { name: 'BA', pattern: new RegExp(String.raw`\bbachelor${OF} arts\b|\bb\.a\.(?=\s|$)`, 'g'), years: null },
  { name: 'Diploma', pattern: /\bdiploma\b/g, years: null },
  { name: "Master's", pattern: /\bmaster'?s\b(?: degree)?|\bmaster(?= (?:degree|in)\b)/g, years: 2 },
  { name: "Bachelor's", pattern: /\bbachelor'?s\b(?: degree)?|\bbachelor(?= (?:degree|in)\b)|\bundergraduate degree\b/g, years: null },
];

export interface DegreeMatch {
  name: string;
  years: number | null;
  span: Span;
}

/** Words just before a degree that mark it as the one being studied now ("now doing an M.Tech"). */
const CURRENT = /\b(?:pursuing|doing|studying|currently|now|presently|enrolled in|in the middle of)\b[^.!?]{0,25}$/;

/**
 * The degree the speaker studies for. Mentions are collected in text order (at one position the longest match
 * wins, so "master's of technology" is M.Tech, not the generic "Master's"); when several degrees are named, the
 * one marked as current ("now doing an M.Tech") beats an earlier finished one, otherwise the first is taken.
 * Written "BE" counts only in capitals before "in"/"degree": "be" is a verb.
 */
export function extractDegree(t: IntroText): DegreeMatch | null {
  const found: DegreeMatch[] = [];
  const add = (entry: { name: string; years: number | null }, start: number, length: number): void => {
    const same = found.findIndex((f) => f.span.start === start);
    const match = { ...entry, span: { text: t.original.slice(start, start + length), start, end: start + length } };
    if (same < 0) found.push(match);
    else if (length > found[same].span.end - found[same].span.start) found[same] = match;
  };
  for (const entry of DEGREES) {
    entry.pattern.lastIndex = 0;
    for (let m = entry.pattern.exec(t.lower); m; m = entry.pattern.exec(t.lower)) add(entry, m.index, m[0].length);
  }
  const upperBe = /\bB\.?E\.?(?=\s+(?:in|degree)\b)/g;
  for (let m = upperBe.exec(t.original); m; m = upperBe.exec(t.original)) add({ name: 'B.E.', years: 4 }, m.index, m[0].length);
  // Drop generic mentions inside a specific one ("master's" inside "master's of technology").
  const mentions = found
    .filter((f) => !found.some((g) => g !== f && contains(g.span, f.span)))
    .sort((a, b) => a.span.start - b.span.start);
  return mentions.find((m) => CURRENT.test(t.lower.slice(Math.max(0, m.span.start - 40), m.span.start))) ?? mentions[0] ?? null;
}

/** Whether `outer` covers `inner` and is longer. */
function contains(outer: Span, inner: Span): boolean {
  return outer.start <= inner.start && outer.end >= inner.end && outer.end - outer.start > inner.end - inner.start;
}

/** Fields of study, longest first so "computer science and engineering" wins over "computer science". */
const MAJORS = [
  'computer science and engineering', 'computer science engineering', 'computer science',
  'computer engineering', 'software engineering', 'information technology', 'information systems',
  'electronics and communication engineering', 'electronics and communication', 'electronics and telecommunication',
  'electrical and electronics engineering', 'electrical engineering', 'electronics engineering', 'electronics',
  'mechanical engineering', 'civil engineering', 'chemical engineering', 'aerospace engineering',
  'aeronautical engineering', 'biomedical engineering', 'biotechnology', 'industrial engineering',
  'instrumentation engineering', 'mechatronics', 'robotics', 'artificial intelligence and machine learning',
  'artificial intelligence and data science', 'artificial intelligence', 'data science', 'cyber security',
  'cybersecurity', 'applied mathematics', 'mathematics', 'maths', 'math', 'statistics', 'physics', 'chemistry',
  'biology', 'economics', 'commerce', 'finance', 'accounting', 'marketing', 'business administration',
  'management', 'psychology', 'english literature', 'english', 'history', 'political science', 'sociology',
  'architecture', 'law', 'medicine', 'nursing', 'pharmacy', 'design', 'journalism', 'mass communication',
  'environmental science', 'computer applications',
].sort((a, b) => b.length - a.length);

const MAJOR_AT = new RegExp(String.raw`^(?:the )?(${MAJORS.map((m) => m.replace(/ /g, '\\s+')).join('|')})(?:\s+engineering)?\b`);

/** Phrases that introduce a field of study. `free` ones are explicit enough to accept a field not in MAJORS. */
const MAJOR_TRIGGERS: ReadonlyArray<{ pattern: RegExp; free: boolean }> = [
  { pattern: /\b(?:majoring|majored|major|specializing|specialising|specialization|specialisation|specialized|specialised) in\s+/g, free: true },
  { pattern: /\b(?:my )?(?:major|branch|stream|specialization|specialisation|field of study) is\s+/g, free: true },
  { pattern: /\b(?:studying|study|studied|student of|department of|degree in|the field of|branch of)\s+/g, free: false },
];

/** Words that end a field of study captured freely ("majoring in physics at MIT"). */
const MAJOR_STOP = /^(?:at|from|with|and|i|i'm|my|in|which|where|who|because|since|so|but|for|to|currently|university|college|institute|school|,|\.)$/;

/**
 * The field of study: after a degree ("B.Tech in computer science"), after "majoring/specializing in", after
 * "studying", or a known field right before "student/engineering/major/department". Returns the span so that
 * skills inside it ("data science") are not counted twice.
 */
export function extractMajor(t: IntroText, degree: DegreeMatch | null): Span | null {
  if (degree) {
    const after = /^\.?[\s,]*(?:degree\s+|student\s+|graduate\s+|program(?:me)?\s+|course\s+)?(?:in|of)\s+/.exec(
      t.lower.slice(degree.span.end),
    );
    if (after) {
      const from = degree.span.end + after[0].length;
      const known = knownMajorAt(t, from);
      if (known) return known;
      const free = freeMajorAt(t, from);
      if (free) return free;
    }
  }
  for (const trigger of MAJOR_TRIGGERS) {
    trigger.pattern.lastIndex = 0;
    for (let m = trigger.pattern.exec(t.lower); m; m = trigger.pattern.exec(t.lower)) {
      const from = m.index + m[0].length;
      const found = knownMajorAt(t, from) ?? (trigger.free ? freeMajorAt(t, from) : null);
      if (found) return found;
    }
  }
  const before = new RegExp(
    String.raw`\b(${MAJORS.map((m) => m.replace(/ /g, '\\s+')).join('|')})(?=\s+(?:student|major|department|branch|degree|undergraduate|graduate)\b)`,
    'g',
  );
  const m = before.exec(t.lower);
  return m ? majorSpan(t, m.index, m.index + m[0].length) : null;
}

function knownMajorAt(t: IntroText, from: number): Span | null {
  const m = MAJOR_AT.exec(t.lower.slice(from));
  if (!m) return null;
  const lead = m[0].length - m[0].replace(/^the /, '').length;
  return majorSpan(t, from + lead, from + m[0].length);
}

function freeMajorAt(t: IntroText, from: number): Span | null {
  const re = /\S+/g;
  re.lastIndex = from;
  let end = from;
  let count = 0;
  for (let m = re.exec(t.lower); m && count < 4; m = re.exec(t.lower)) {
    const word = m[0].replace(/[.,;:!?]+$/, '');
    if (MAJOR_STOP.test(word) || /^\d/.test(word)) break;
    end = m.index + word.length;
    count++;
    if (word !== m[0]) break;
  }
  return count > 0 ? majorSpan(t, from, end) : null;
}

function majorSpan(t: IntroText, start: number, end: number): Span | null {
  const span = trimSpan(t, start, end);
  return span ? { ...span, text: titleCaseIfLower(span.text) } : null;
}

/** Graduation year in digits or words: "graduating in 2025", "class of 2024", "graduate in twenty twenty five". */
export function extractGraduationYear(t: IntroText): number | null {
  const text = normalizeSpokenYears(t.lower);
  const year = String.raw`((?:19|20)\d\d)\b`;
  const patterns = [
    new RegExp(
      String.raw`\b(?:graduat\w*|pass(?:ing)? out|passout|complet\w* (?:my|the) (?:degree|course|studies|graduation|program\w*|b\.?\s?tech|engineering))\b(?:\s+[a-z,]+){0,3}?\s+${year}`,
    ),
    new RegExp(String.raw`\b(?:class|batch) of\s+${year}`),
    new RegExp(String.raw`\b(?:19|20)\d\d\s*(?:-|to)\s*${year}\s+batch\b`),
    new RegExp(String.raw`\b${year.replace(/\\b$/, '')}\s+(?:batch|graduate|pass ?out)\b`),
  ];
  for (const pattern of patterns) {
    const m = pattern.exec(text);
    const value = m ? Number(m[1]) : NaN;
    if (value >= 1980 && value <= 2050) return value;
  }
  return null;
}

const ORDINALS: Record<string, number | 'final'> = {
  first: 1, '1st': 1, second: 2, '2nd': 2, third: 3, '3rd': 3, fourth: 4, '4th': 4, fifth: 5, '5th': 5,
  final: 'final',
};
const US_YEARS: Record<string, number> = { freshman: 1, sophomore: 2, junior: 3, senior: 4 };

/**
 * Year of study when the speaker states it as their current standing: "a third year student", "I am in my second
 * year", "final year of B.Tech". "In my third year I built ..." looks back and is not taken. "Final year" becomes
 * a number only where the degree's length is clear (B.Tech/B.E. 4, master's 2).
 */
export function extractYearOfStudy(t: IntroText, degree: DegreeMatch | null): number | null {
  const ord = String.raw`(first|second|third|fourth|fifth|1st|2nd|3rd|4th|5th|final|pre[- ]final)`;
  const patterns = [
    new RegExp(String.raw`\b${ord}[\s-]year\s+(?:[a-z.]+\s+){0,3}?(?:student|undergrad\w*|engineering student)\b`),
    new RegExp(String.raw`\b(?:i am|i'm|im|currently|presently|now)\s+(?:in\s+)?(?:my\s+|the\s+)?(?:a\s+|an\s+)?${ord}[\s-]year\b`),
    new RegExp(String.raw`\b${ord}[\s-]year\s+of\s+(?:my\s+|the\s+)?(?:degree|b\.?\s?tech|engineering|bachelor|master|course|program|graduation|college|study|studies|undergrad\w*|b\.?\s?e|b\.?\s?sc|m\.?\s?tech|mba)`),
  ];
  for (const pattern of patterns) {
    const m = pattern.exec(t.lower);
    if (!m) continue;
    if (m[1].startsWith('pre')) return degree?.years ? degree.years - 1 : null;
    const value = ORDINALS[m[1]];
    if (value === 'final') return degree?.years ?? null;
    if (typeof value === 'number') return value;
  }
  const us =
    /\b(?:i am|i'm|im) (?:a |currently a )?(freshman|sophomore|junior|senior)\b(?! (?:developer|engineer|analyst|designer|associate|manager))/.exec(
      t.lower,
    );
  return us ? US_YEARS[us[1]] : null;
}
