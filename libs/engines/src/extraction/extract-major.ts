import type { DegreeMatch } from './extract-degree.js';
import { titleCaseIfLower, trimSpan, type IntroText, type Span } from './text-tools.js';

/** Fields of study, longest first so "computer science and engineering" wins over "computer science". */
const MAJORS = [
  'computer science and engineering', 'computer science engineering', 'computer science',
  'computer engineering', 'software engineering', 'information technology', 'information systems',
  'electronics and communication engineering', 'electronics and communication', 'electronics and telecommunication',
  'electrical and electronics engineering', 'electrical engineering', 'electronics engineering', 'electronics',
  'mechanical engineering', 'civil engineering', 'chemical engineering', 'aerospace engineering',
  'aeronautical engineering', 'biomedical engineering', 'biotechnology', 'industrial engineering',
  'instrumentation engineering', 'structural engineering', 'production engineering', 'metallurgical engineering',
  'automobile engineering', 'mechatronics', 'robotics', 'artificial intelligence and machine learning',
  'artificial intelligence and data science', 'artificial intelligence', 'data science', 'cyber security',
  'cybersecurity', 'applied mathematics', 'mathematics', 'maths', 'math', 'statistics', 'physics', 'chemistry',
  'biology', 'economics', 'commerce', 'finance', 'accounting', 'marketing', 'human resources',
  'business administration', 'management', 'psychology', 'english literature', 'english', 'history',
  'political science', 'sociology', 'architecture', 'law', 'medicine', 'nursing', 'pharmacy', 'design',
  'journalism', 'mass communication', 'environmental science', 'computer applications', 'informatics',
].sort((a, b) => b.length - a.length);

const MAJOR_AT = new RegExp(String.raw`^(?:the )?(${MAJORS.map((m) => m.replace(/ /g, '\\s+')).join('|')})(?:\s+engineering)?\b`);

/** Branch names that are short or abbreviated right after a degree ("B.E. Civil", "B.Tech in ECE"). */
const BRANCHES: Record<string, string> = {
  cse: 'Computer Science and Engineering',
  ece: 'Electronics and Communication Engineering',
  eee: 'Electrical and Electronics Engineering',
  eie: 'Electronics and Instrumentation Engineering',
  it: 'Information Technology',
  'i t': 'Information Technology',
  cs: 'Computer Science',
  civil: 'Civil Engineering',
  mechanical: 'Mechanical Engineering',
  mech: 'Mechanical Engineering',
  electrical: 'Electrical Engineering',
  chemical: 'Chemical Engineering',
  aeronautical: 'Aeronautical Engineering',
};
const BRANCH_AT = new RegExp(String.raw`^(${Object.keys(BRANCHES).join('|')})(?=[\s,.;:)]|$)`, 'i');

/** Phrases that introduce a field of study. `free` ones are explicit enough to accept a field not in MAJORS. */
const MAJOR_TRIGGERS: ReadonlyArray<{ pattern: RegExp; free: boolean }> = [
  { pattern: /\b(?:majoring|majored|major|specializing|specialising|specialization|specialisation|specialized|specialised) in\s+/g, free: true },
  { pattern: /\b(?:my )?(?:major|branch|stream|specialization|specialisation|field of study) is\s+/g, free: true },
  { pattern: /\b(?:studying|study|studied|student of|department of|degree in|the field of|branch of)\s+/g, free: false },
  { pattern: /\b(?:pursuing|doing|completed|did|finished)\s+(?:my\s+|a\s+|an\s+)?/g, free: false },
];

/** Words that end a field of study captured freely ("majoring in physics at MIT"). */
const MAJOR_STOP =
  /^(?:at|from|with|i|i'm|im|my|in|which|where|who|because|since|so|but|for|to|currently|university|college|institute|school|then|also|now|am|is|was|will|have|has|it|this|that|a|an|our|we|they|student|,|\.)$/;

/** A degree mention this close before a field-of-study phrase owns it ("an undergraduate degree in economics"). */
const OWNED_BY_DEGREE_CHARS = 30;

/**
 * The field of study of `degree`: right after it ("B.Tech in computer science", "B.E. Electrical and Electronics
 * Engineering", "BSc (Hons) Physics"), else after "majoring/specializing in", "studying", or a known field right
 * before "student/engineering/major/department". A phrase right after another degree belongs to that one.
 * Returns the span so that skills inside it ("data science") are not counted twice.
 */
export function extractMajor(t: IntroText, degree: DegreeMatch | null, mentions: readonly DegreeMatch[] = []): Span | null {
  if (degree) {
    const found = majorAfterDegree(t, degree);
    if (found) return found;
  }
  const others = mentions.filter((m) => m !== degree && m.span.start !== degree?.span.start);
  const ownedByOther = (at: number): boolean => others.some((m) => m.span.start < at && at - m.span.end <= OWNED_BY_DEGREE_CHARS);
  for (const trigger of MAJOR_TRIGGERS) {
    trigger.pattern.lastIndex = 0;
    for (let m = trigger.pattern.exec(t.lower); m; m = trigger.pattern.exec(t.lower)) {
      const from = m.index + m[0].length;
      if (ownedByOther(from)) continue;
      const found = knownMajorAt(t, from) ?? (trigger.free ? freeMajorAt(t, from) : null);
      if (found) return found;
    }
  }
  // "in computer science and engineering" after words about studies: "final year ... in computer science".
  const studyIn = /\b(?:year|student|studies|degree|graduat\w*|course)\b[^.!?\n]{0,40}?\bin\s+/g;
  for (let m = studyIn.exec(t.lower); m; m = studyIn.exec(t.lower)) {
    const found = knownMajorAt(t, m.index + m[0].length);
    const group = found && /^\s+(?:club|team|society|lab|group|cell)\b/.test(t.lower.slice(found.end));
    if (found && !group && !ownedByOther(m.index + m[0].length)) return found;
  }
  const before = new RegExp(
    String.raw`\b(${MAJORS.map((m) => m.replace(/ /g, '\\s+')).join('|')})(?=\s+(?:student|major|department|branch|degree|undergraduate|graduate)\b)`,
    'g',
  );
  const m = before.exec(t.lower);
  return m ? majorSpan(t, m.index, m.index + m[0].length) : null;
}

function majorAfterDegree(t: IntroText, degree: DegreeMatch): Span | null {
  const after = /^\.?[\s,]*(?:\((?:hons?|honours)\)\s*)?(?:(?:degree|student|graduate|program(?:me)?|course|candidate|scholar)\s+)?(?:(in|of)\s+)?/.exec(
    t.lower.slice(degree.span.end),
  );
  // "B.Sc. in Physics" is fine; "a B.Tech. After that ..." is a new sentence, not a field.
  if (!after || (after[0].startsWith('.') && !after[1])) return null;
  const from = degree.span.end + after[0].length;
  const known = knownMajorAt(t, from);
  if (known) return known;
  const branch = BRANCH_AT.exec(t.original.slice(from));
  if (branch) {
    const written = branch[1];
    // "it", "cs" are ordinary words in lowercase: a branch only after "in" or in capitals ("B.Tech in IT").
    const ambiguous = /^(?:it|i t|cs)$/.test(written);
    if (!ambiguous || after[1] || written === written.toUpperCase()) {
      return withBrackets(t, { text: BRANCHES[written.toLowerCase()], start: from, end: from + written.length });
    }
  }
  if (after[1]) return freeMajorAt(t, from);
  // Without "in": a run of capitalised words in written text ("M.E. Structural Engineering in ...").
  return t.cased ? capitalisedMajorAt(t, from) : null;
}

function knownMajorAt(t: IntroText, from: number): Span | null {
  const m = MAJOR_AT.exec(t.lower.slice(from));
  if (!m) return null;
  const lead = m[0].length - m[0].replace(/^the /, '').length;
  return majorSpan(t, from + lead, from + m[0].length);
}

/** Up to five words, an inner "and" / "&" kept when a field word follows ("Systems and Control Engineering"). */
function freeMajorAt(t: IntroText, from: number): Span | null {
  const words = [...t.lower.slice(from).matchAll(/\S+/g)].slice(0, 7);
  let end = from;
  let count = 0;
  for (let i = 0; i < words.length && count < 5; i++) {
    const word = words[i][0].replace(/[.,;:!?]+$/, '');
    if ((word === 'and' || word === '&') && count > 0) {
      const next = words[i + 1]?.[0].replace(/[.,;:!?]+$/, '') ?? '';
      if (next === '' || MAJOR_STOP.test(next) || next === 'and') break;
      continue;
    }
    if (MAJOR_STOP.test(word) || word === 'and' || /^\d/.test(word) || /^[(]/.test(word)) break;
    end = from + (words[i].index ?? 0) + word.length;
    count++;
    if (word !== words[i][0]) break;
  }
  return count > 0 ? majorSpan(t, from, end) : null;
}

function capitalisedMajorAt(t: IntroText, from: number): Span | null {
  const m = /^(?:\p{Lu}[\p{L}-]*)(?:\s+(?:and\s+|&\s+)?\p{Lu}[\p{L}-]*){0,4}/u.exec(t.original.slice(from));
  if (!m) return null;
  const words = m[0].toLowerCase().split(/\s+/);
  const stop = words.findIndex((w) => MAJOR_STOP.test(w));
  const kept = stop < 0 ? m[0] : m[0].split(/\s+/).slice(0, stop).join(' ');
  return kept ? majorSpan(t, from, from + kept.length) : null;
}

function majorSpan(t: IntroText, start: number, end: number): Span | null {
  const span = trimSpan(t, start, end);
  return span ? withBrackets(t, { ...span, text: titleCaseIfLower(span.text) }) : null;
}

/** A short specialisation in brackets right after the field is part of it: "Computer Science (AI & ML)". */
function withBrackets(t: IntroText, span: Span): Span {
  const m = /^\s*\([^()\n]{1,40}\)/.exec(t.original.slice(span.end));
  if (!m) return span;
  const end = span.end + m[0].length;
  return { text: `${span.text}${t.original.slice(span.end, end)}`, start: span.start, end };
}
