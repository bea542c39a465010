import { titleCaseIfLower, type IntroText, type Span } from './text-tools.js';

/** A degree as it is usually written, with the spellings seen in text and in ASR output ("b tech"). */
interface DegreeEntry {
  name: string;
  pattern: RegExp;
  /** Years in the programme, where a "final year" student's year of study is then clear. */
  years: number | null;
  /** 1 diploma, 2 bachelor's, 3 master's, 4 doctorate: a graduate's highest degree is the one to report. */
  level: number;
}

const OF = String.raw`(?:'?s)?(?: degree)?(?: of| in)`;

const DEGREES: readonly DegreeEntry[] = [
  { name: 'PhD', pattern: /\bph\.?\s?d\b\.?|\bp h d\b|\bdoctora(?:te|l)\b/g, years: null, level: 4 },
  { name: 'M.Tech', pattern: new RegExp(String.raw`\bm\.?\s?tech\b|\bmaster${OF} technology\b`, 'g'), years: 2, level: 3 },
  { name: 'MBA', pattern: new RegExp(String.raw`\bm\.?\s?b\.?\s?a\b|\bmaster${OF} business administration\b`, 'g'), years: 2, level: 3 },
  { name: 'MCA', pattern: new RegExp(String.raw`\bm\.?\s?c\.?\s?a\b|\bmaster${OF} computer applications?\b`, 'g'), years: 2, level: 3 },
  { name: 'MSc', pattern: new RegExp(String.raw`\bm\.?\s?s\.?\s?c\b|\bmaster${OF} science\b|\bm\.s\.(?=\s|$)|\bms in\b`, 'g'), years: 2, level: 3 },
  { name: 'M.E.', pattern: new RegExp(String.raw`\bmaster${OF} engineering\b|\bm\.e\.(?=\s|$)`, 'g'), years: 2, level: 3 },
  { name: 'MA', pattern: new RegExp(String.raw`\bmaster${OF} arts\b|\bm\.a\.(?=\s|$)`, 'g'), years: 2, level: 3 },
  { name: 'B.Tech', pattern: new RegExp(String.raw`\bb\.?\s?tech\b|\bbe tech\b|\bbachelor${OF} technology\b`, 'g'), years: 4, level: 2 },
  { name: 'B.E.', pattern: new RegExp(String.raw`\bbachelor${OF} engineering\b|\bb\.\s?e\.(?=\s|$|,)`, 'g'), years: 4, level: 2 },
  // BCA and BBA are three-year programmes where they are common (India).
  { name: 'BCA', pattern: new RegExp(String.raw`\bb\.?\s?c\.?\s?a\b|\bbachelor${OF} computer applications?\b`, 'g'), years: 3, level: 2 },
  { name: 'BBA', pattern: new RegExp(String.raw`\bb\.?\s?b\.?\s?a\b|\bbachelor${OF} business administration\b`, 'g'), years: 3, level: 2 },
  { name: 'B.Com', pattern: new RegExp(String.raw`\bb\.\s?com\b|\bbcom\b|\bbachelor${OF} commerce\b`, 'g'), years: null, level: 2 },
  {
    name: 'BSc',
    pattern: new RegExp(String.raw`\bb\.?\s?s\.?\s?c\b|\bb\.?\s?sc\b|\bbachelor${OF} science\b|\bb\.s\.(?=\s|$)|\bbs in\b`, 'g'),
    years: null,
    level: 2,
  },
  { name: 'BA', pattern: new RegExp(String.raw`\bbachelor${OF} arts\b|\bb\.a\.(?=\s|$)`, 'g'), years: null, level: 2 },
  { name: 'Diploma', pattern: /\bdiploma\b/g, years: null, level: 1 },
  { name: "Master's", pattern: /\bmaster'?s\b(?: degree)?|\bmaster(?= (?:degree|in)\b)/g, years: 2, level: 3 },
  { name: "Bachelor's", pattern: /\bbachelor'?s\b(?: degree)?|\bbachelor(?= (?:degree|in)\b)|\bundergraduate degree\b/g, years: null, level: 2 },
];

/**
 * Abbreviations that are ordinary words in lowercase ("be", "ma", "ms"): taken only in capitals, where a degree
 * word follows ("a BA in English", "MS by Research").
 */
const CAPITAL_DEGREES: ReadonlyArray<{ pattern: RegExp; entry: Omit<DegreeEntry, 'pattern'> }> = [
  { pattern: /\bB\.?E\.?(?=\s+(?:in|degree)\b)/g, entry: { name: 'B.E.', years: 4, level: 2 } },
  { pattern: /\bBA\b(?=\s+(?:in|degree|from|at|\(|hons)\b)/g, entry: { name: 'BA', years: null, level: 2 } },
  { pattern: /\bMA\b(?=\s+(?:in|degree|from|at)\b)/g, entry: { name: 'MA', years: 2, level: 3 } },
  { pattern: /\bBS\b(?=\s+(?:in|degree|from|at)\b)/g, entry: { name: 'BSc', years: null, level: 2 } },
  { pattern: /\bMS\b(?=\s+(?:in|by|degree|from|at)\b)/g, entry: { name: 'MSc', years: 2, level: 3 } },
];

/** A degree with no common abbreviation, named in full: "a Bachelor of Information Technology". */
const NAMED_DEGREE = /\b(bachelor|master)(?:'?s)? of ((?:(?!in\b|at\b|from\b|with\b|and\b|degree\b)[a-z]+ ){0,3}(?!in\b|at\b|from\b|with\b|and\b|degree\b)[a-z]+)/g;

export type DegreeTense = 'current' | 'past' | 'future' | 'unknown';

export interface DegreeMatch {
  name: string;
  years: number | null;
  level: number;
  span: Span;
  /** Whether the speaker studies for it now, finished it, or only hopes to. */
  tense: DegreeTense;
}

/**
 * Words before a degree that say how it stands: the nearest one in the sentence wins ("I completed my B.Sc. and
 * I'm now doing an M.Tech": the M.Tech is current, the B.Sc. past).
 */
const TENSE_CUES: ReadonlyArray<[RegExp, DegreeTense]> = [
  [/\b(?:want|wants|wish|plan|planning|hope|hoping|like|love|aim|aspire|intend|going|applying|apply)\s+(?:to|for)\b|\bin (?:the )?future\b|\blater\b|\bmaybe\b|\bdream\b|\bgoal\b/g, 'future'],
  [/\b(?:did|done|completed|complete|finished|graduated|got|earned|received|obtained|hold|holds|have an?|had|studied|pursued|was)\b/g, 'past'],
  [/\b(?:pursuing|doing|studying|currently|now|presently|enrolled|joined|student|(?:first|second|third|fourth|fifth|final|pre-final|\d(?:st|nd|rd|th))[\s-]year|i am an?|i'm an?|im an?|i am in|i'm in)\b/g, 'current'],
];
/** A degree followed by "student", "candidate", ... is the one being studied. */
const CURRENT_AFTER = /^[\s.,]*(?:[\w&()-]+\s+){0,5}?(?:student|candidate|scholar|fresher)\b/;

/**
 * The degree the speaker studies for, else the highest one they hold. Mentions are collected in text order (at
 * one position the longest match wins, so "master's of technology" is M.Tech, not the generic "Master's"); a
 * degree only hoped for ("I want to do an MBA") is never the answer.
 */
export function extractDegree(t: IntroText, mentions: readonly DegreeMatch[] = degreeMentions(t)): DegreeMatch | null {
  const current = mentions.find((m) => m.tense === 'current');
  if (current) return current;
  const held = mentions.filter((m) => m.tense !== 'future');
  return held.reduce<DegreeMatch | null>((best, m) => (best === null || m.level > best.level ? m : best), null);
}

/** Every degree named, in text order, with its tense. */
export function degreeMentions(t: IntroText): DegreeMatch[] {
  const found: Array<Omit<DegreeMatch, 'tense'>> = [];
  const add = (entry: Omit<DegreeEntry, 'pattern'>, start: number, length: number): void => {
    const same = found.findIndex((f) => f.span.start === start);
    const match = { ...entry, span: { text: t.original.slice(start, start + length), start, end: start + length } };
    if (same < 0) found.push(match);
    else if (length > found[same].span.end - found[same].span.start) found[same] = match;
  };
  for (const { pattern, ...entry } of DEGREES) {
    pattern.lastIndex = 0;
    for (let m = pattern.exec(t.lower); m; m = pattern.exec(t.lower)) add(entry, m.index, m[0].length);
  }
  for (const { pattern, entry } of CAPITAL_DEGREES) {
    pattern.lastIndex = 0;
    for (let m = pattern.exec(t.original); m; m = pattern.exec(t.original)) add(entry, m.index, m[0].length);
  }
  NAMED_DEGREE.lastIndex = 0;
  for (let m = NAMED_DEGREE.exec(t.lower); m; m = NAMED_DEGREE.exec(t.lower)) {
    // Only where no entry above matched here: "bachelor of technology" stays B.Tech.
    const at = m.index;
    if (found.some((f) => f.span.start === at)) continue;
    const field = titleCaseIfLower(t.original.slice(m.index + m[0].length - m[2].length, m.index + m[0].length));
    const kind = m[1] === 'master' ? 'Master' : 'Bachelor';
    add({ name: `${kind} of ${field}`, years: null, level: kind === 'Master' ? 3 : 2 }, m.index, m[0].length);
  }
  return found
    .filter((f) => !found.some((g) => g !== f && contains(g.span, f.span)))
    .sort((a, b) => a.span.start - b.span.start)
    .map((f) => ({ ...f, tense: tenseOf(t, f.span) }));
}

function tenseOf(t: IntroText, span: Span): DegreeTense {
  const sentenceStart = Math.max(0, ...['.', '!', '?', '\n'].map((c) => t.lower.lastIndexOf(c, span.start - 2) + 1));
  const before = t.lower.slice(Math.max(sentenceStart, span.start - 80), span.start);
  let nearest: { at: number; tense: DegreeTense } | null = null;
  for (const [pattern, tense] of TENSE_CUES) {
    pattern.lastIndex = 0;
    for (let m = pattern.exec(before); m; m = pattern.exec(before)) {
      if (!nearest || m.index >= nearest.at) nearest = { at: m.index, tense };
    }
  }
  if (nearest && nearest.tense !== 'unknown' && nearest.tense !== 'current') return nearest.tense;
  if (nearest?.tense === 'current' || CURRENT_AFTER.test(t.lower.slice(span.end, span.end + 60))) return 'current';
  return 'unknown';
}

/** Whether `outer` covers `inner` and is longer. */
function contains(outer: Span, inner: Span): boolean {
  return outer.start <= inner.start && outer.end >= inner.end && outer.end - outer.start > inner.end - inner.start;
}
