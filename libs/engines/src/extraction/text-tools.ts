/**
 * Text helpers shared by the rules engines. They work on written text and on ASR output (lowercase, no
 * punctuation) alike, so clause ends are found from punctuation where there is some and from clause-opening words
 * ("and i", "my goal", "last summer", ...) where there is not.
 */

/** A text prepared for matching: `lower` has exactly the same length as `original`, so indexes carry over. */
export interface IntroText {
  original: string;
  lower: string;
  /** True for written text with capitals, where capitalisation helps to find names. */
  cased: boolean;
}

export interface Span {
  text: string;
  start: number;
  end: number;
}

export function prepareText(raw: string): IntroText {
  let original = raw
    .replace(/[\u2018\u2019\u02bc]/g, "'")
    .replace(/[\u201c\u201d]/g, '"')
    .replace(/[\u2013\u2014]/g, ' - ')
    .replace(/[^\S\n]+/g, ' ')
    // Line breaks are kept (one per break): in a bullet-like answer they end an item like a full stop does.
    .replace(/ ?\n[\s]*/g, '\n')
    .trim();
  const cased = /[A-Z]/.test(original);
  if (!cased) original = joinSpelledLetters(original);
  // Lowercase one UTF-16 unit at a time: String#toLowerCase can change the length (e.g. U+0130), which would
  // break the index mapping back to the original text.
  let lower = '';
  for (const char of original) {
    const l = char.toLowerCase();
    lower += l.length === char.length ? l : char;
  }
  return { original, lower, cased };
}

/**
 * ASR spells acronyms out letter by letter ("n i t patna", "j n t u", "c g p a", "b s n l"): runs of three or
 * more single letters become one word, so one set of patterns serves written and spoken text. Shorter runs stay
 * ("b e", "i t" could be words), as do a leading article "a" and a trailing subject "i".
 */
export function joinSpelledLetters(text: string): string {
  const tokens = text.split(' ');
  const single = (token: string | undefined): boolean => token !== undefined && /^[a-z]\.?$/.test(token);
  const out: string[] = [];
  for (let i = 0; i < tokens.length; ) {
    let j = i;
    while (single(tokens[j])) j++;
    if (j === i) {
      out.push(tokens[i++]);
      continue;
    }
    let start = i;
    while (start < j && tokens[start] === 'a') start++;
    // A trailing "i" is the next clause's subject: "using i o t i have" is IoT, then "i have".
    const end = j - start > 3 && tokens[j - 1] === 'i' && j < tokens.length ? j - 1 : j;
    if (end - start >= 3) {
      out.push(...tokens.slice(i, start), tokens.slice(start, end).map((t) => t.replace('.', '')).join(''), ...tokens.slice(end, j));
    } else {
      out.push(...tokens.slice(i, j));
    }
    i = j;
  }
  return out.join(' ');
}

/**
 * Where a new clause starts in text without punctuation. A subject "i" nearly always opens a clause; "my" does
 * only before the topics an introduction moves between ("my goal", "my hobbies"), not in "for my college fest".
 */
const CLAUSE_BREAK = new RegExp(
  [
    String.raw`\s(?:(?:and|but|so|also|then|where|because|while|when)\s+)?(?:i|i'm|i've|i'd|i'll|im)(?=\s|$)`,
    String.raw`\s(?:and\s+|also\s+)?my\s+(?:name|goal|god|aim|dream|ambition|hobby|hobbies|strength|strengths|skill|skills|project|projects|career|interest|interests|passion|free|spare|favourite|favorite|main|key|major|area|plan|plans|future|experience|internship|objective|weakness|weaknesses|long|ultimate)\b`,
    String.raw`\s(?:thank you|thanks|apart from|besides|currently|presently|last (?:year|summer|semester|month|week|winter|fall)|this (?:summer|semester|year)|in my (?:free|spare|leisure) time|in (?:the )?future|moreover|additionally|furthermore|however|coming to|talking about|as for|other than that|that's all|that is all|outside (?:of )?(?:work|classes|class|college|office|the lab|academics|studies)|long[- ]term|short[- ]term|in the long run|after (?:graduation|college|uni|my (?:degree|graduation|studies))|before (?:that|this|coming here))\b`,
  ].join('|'),
);

/** Words that never end a captured phrase ("I built a tool for" -> "I built a tool"). */
const TRAILING_NOISE = new Set(
  ('and or the a an with in at of to for so but also then as where which who that like my our is are was were by on ' +
    'from very really basically actually literally um umm uh uhh er ah hmm yeah okay').split(' '),
);

/** Index of the first sentence end in `text`, ignoring the dots of abbreviations such as "B.E." and "Ph.D.". */
function sentenceEnd(text: string): number {
  const end = /[.!?;:](?=\s|$)|\n/g;
  for (let m = end.exec(text); m; m = end.exec(text)) {
    if (m[0] === '.') {
      const before = text.slice(Math.max(0, m.index - 2), m.index);
      // A single letter before the dot ("b.e.", "ph.d.") is an abbreviation, not a sentence end.
      if (/(^|[^a-z])[a-z]$/i.test(before)) continue;
    }
    return m.index;
  }
  return text.length;
}

export interface CaptureOptions {
  maxWords: number;
  /** End the phrase at a comma too (clauses), or keep going (lists). */
  commaEnds?: boolean;
  /** Continue past a comma that a participle follows ("worked at X, building Y"). */
  throughParticiple?: boolean;
}

/**
 * The phrase that starts at `from` and runs to the end of its clause: punctuation, a clause-opening word, or
 * `maxWords`. Returns the original text (case kept) with dangling words such as "and"/"the" trimmed, or null.
 */
export function captureClause(t: IntroText, from: number, options: CaptureOptions): Span | null {
  const rest = t.lower.slice(from);
  let end = clauseEnd(rest, 0, options.commaEnds === true);
  // "I work at Fractal, building forecasting models": a participle after the comma still describes the work.
  if (options.throughParticiple && rest[end] === ',' && PARTICIPLE_AFTER_COMMA.test(rest.slice(end))) {
    end = clauseEnd(rest, end + 1, true);
  }
  const words = /\S+/g;
  let count = 0;
  for (let m = words.exec(rest); m && m.index < end; m = words.exec(rest)) {
    if (++count > options.maxWords) {
      end = m.index;
      break;
    }
  }
  return trimSpan(t, from, from + end);
}

const PARTICIPLE_AFTER_COMMA = /^,\s*(?!(?:thinking|nothing|anything|something|everything|morning|evening|during|including|according|being)\b)[a-z]+ing\b/;

/** Where the clause that starts at `from` in `rest` ends: sentence end, clause-opening word, or a comma. */
function clauseEnd(rest: string, from: number, commaEnds: boolean): number {
  let end = from + sentenceEnd(rest.slice(from));
  const breaks = new RegExp(CLAUSE_BREAK.source, 'g');
  breaks.lastIndex = from;
  const clause = breaks.exec(rest);
  if (clause && clause.index < end) end = clause.index;
  if (commaEnds) {
    const comma = rest.indexOf(',', from);
    if (comma >= 0 && comma < end) end = comma;
  }
  return end;
}

/** Trims whitespace, edge punctuation and dangling function words from [start, end) of the original text. */
export function trimSpan(t: IntroText, start: number, end: number): Span | null {
  let s = start;
  let e = end;
  for (;;) {
    while (s < e && /[\s,;:.!?"'()-]/.test(t.original[s])) s++;
    while (e > s && /[\s,;:!?"()-]/.test(t.original[e - 1])) e--;
    // A trailing dot is kept only where it closes an abbreviation ("B.E.").
    if (e > s && t.original[e - 1] === '.' && !/(^|[^a-z])[a-z]\.$/i.test(t.original.slice(Math.max(s, e - 3), e))) {
      e--;
      continue;
    }
    const lastWord = /(\S+)$/.exec(t.lower.slice(s, e));
    if (lastWord && TRAILING_NOISE.has(lastWord[1])) {
      e -= lastWord[1].length;
      continue;
    }
    break;
  }
  return e > s ? { text: t.original.slice(s, e), start: s, end: e } : null;
}

/** Splits "playing chess, reading books and music" into its items. */
export function splitList(text: string): string[] {
  return text
    .split(/\s*(?:,|;|\band\b|\bas well as\b|&|\balong with\b|\bplus\b)\s*/i)
    .map((item) =>
      item
        .replace(/^(?:(?:also|like|then|i|i'm|im|am|the|mostly|mainly|um+|uh+|er|erm|ah|hmm|(?:a )?(?:little )?bit of|some|basic|(?:the )?basics of)\b[\s,]*)+/i, '')
        .replace(/(?:[\s,]*\b(?:um+|uh+|er|erm|ah|hmm))+$/i, '')
        .trim(),
    )
    .filter((item) => item.length > 0 && /[a-z]/i.test(item));
}

const SMALL_WORDS = new Set(['of', 'and', 'in', 'the', 'for', 'at', 'on', 'de']);
const ACRONYMS = new Set(['iit', 'nit', 'iiit', 'bits', 'mit', 'vit', 'iisc', 'iim', 'srm', 'ucla', 'usc', 'nyu', 'ai']);

/** Title-cases text that arrived all lowercase (ASR); text that has capitals is returned as written. */
export function titleCaseIfLower(text: string): string {
  if (text !== text.toLowerCase()) return text;
  return text
    .split(' ')
    .map((word, i) => {
      if (ACRONYMS.has(word)) return word.toUpperCase();
      if (i > 0 && SMALL_WORDS.has(word)) return word;
      return word.charAt(0).toUpperCase() + word.slice(1);
    })
    .join(' ');
}

/** Case-insensitive de-duplication that keeps the first spelling and the original order. */
export function uniqueItems(items: readonly string[]): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const item of items) {
    const key = item.toLowerCase();
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(item);
  }
  return out;
}
