import type { DegreeMatch } from './extract-degree.js';
import { headingValue } from './headings.js';
import { titleCaseIfLower, trimSpan, type IntroText, type Span } from './text-tools.js';

/** Words that carry an institution's name; the acronyms stand alone ("IIT Bombay", "MIT"). */
const INSTITUTION_WORDS =
  /\b(?:university|institute|college|academy|polytechnic|school|vidyapeetham|vidyapeeth|vishwavidyalaya|iit|nit|iiit|bits|iisc|iim|mit|vit|srm|jntu)\b/g;
const ACRONYM = /^(?:iit|nit|iiit|bits|iisc|iim|mit|vit|srm|jntu)$/;
/** Words that cannot be part of an institution's name; they end the name on either side. */
const INSTITUTION_STOP = new Set(
  (
    'a an the at from in of to for and or but so i i\'m im my our your their his her this that these those ' +
    'is am are was were be been studying study studied student students pursuing doing completed completing ' +
    'currently presently now also which where who when while with by on as into about final first second third ' +
    'fourth year years degree graduate graduating graduated b tech btech bachelor master masters its we they ' +
    'he she me since until after before like about during through very just only even still already then there ' +
    'here ago back'
  ).split(' '),
);
/** Left-hand words that describe rather than name ("a reputed college", "our local college"). */
const GENERIC = new Set(
  (
    'reputed good top local great famous best same high secondary senior junior private government public ' +
    'premier leading renowned prestigious well known engineering medical'
  ).split(' '),
);
/** Words that make up generic names, which need their city to name one place ("Government Arts College, Coimbatore"). */
const GENERIC_NAME = new Set(
  (
    'government govt engineering arts science sciences commerce medical polytechnic technical technological college ' +
    'university institute of and technology the regional state national indian women\'s womens'
  ).split(' '),
);
/** Words that may follow "and" inside "Institute of Science and Technology". */
const OF_AND = /^(?:technology|science|sciences|engineering|management|arts|commerce|research|design|medicine|law|humanities|applied)$/;

/**
 * The institution: a name around an institution word ("the National Institute of Technology", "Stanford
 * University", "University of Michigan", "IIT Bombay"). A bare "our college" or "a reputed university" names
 * nothing and is skipped; a school counts only when no university/institute/college is named. Where several are
 * named, the one right after the current degree wins ("now doing an M.Tech at IIT Madras"), else the first.
 */
export function extractInstitution(t: IntroText, degree: DegreeMatch | null = null): Span | null {
  const named: Span[] = [];
  const schools: Span[] = [];
  INSTITUTION_WORDS.lastIndex = 0;
  for (let m = INSTITUTION_WORDS.exec(t.lower); m; m = INSTITUTION_WORDS.exec(t.lower)) {
    const found = institutionAround(t, m.index, m.index + m[0].length);
    if (!found || named.some((n) => n.start === found.start)) continue;
    (m[0] === 'school' ? schools : named).push(found);
  }
  // A named school right after the degree is where it was earned ("an MBA from the Wharton School").
  const afterDegree = degree
    ? [...named, ...schools]
        .sort((a, b) => a.start - b.start)
        .find((c) => c.start >= degree.span.end && c.start - degree.span.end <= DEGREE_TO_INSTITUTION_CHARS)
    : undefined;
  const found = afterDegree ?? named[0] ?? schools[0];
  if (found) return found;
  const labelled = headingValue(t, 'institution');
  return labelled ? { ...labelled, text: labelled.text.replace(/,.*$/, '') } : null;
}

/** "an M.Tech in Robotics at IIT Madras": about ten words between a degree and its institution. */
const DEGREE_TO_INSTITUTION_CHARS = 80;

function institutionAround(t: IntroText, keyStart: number, keyEnd: number): Span | null {
  const keyword = t.lower.slice(keyStart, keyEnd);
  if (t.lower[keyEnd] === ':') return null; // "College: ..." labels a line, it names nothing
  const capitalKey = /^\p{Lu}/u.test(t.original.slice(keyStart, keyEnd));
  const nameWord = (start: number, word: string): boolean => {
    const bare = word.replace(/[,.;:!?]+$/, '').toLowerCase();
    if (bare.length === 0 || INSTITUTION_STOP.has(bare) || !/^[\p{L}][\p{L}'.&-]*$/u.test(bare)) return false;
    // With a capitalised keyword in written text, the name is the run of capitalised words around it.
    return !(t.cased && capitalKey) || /^\p{Lu}/u.test(t.original.slice(start, start + 1));
  };

  // Left: up to four name words, stopping at punctuation or a stop word; leading describing words are dropped.
  // Four words back is all a name can use: look no further, so a long text costs no more per keyword.
  const windowStart = Math.max(0, keyStart - 120);
  const before = t.lower.slice(windowStart, keyStart);
  const left: Array<{ word: string; at: number }> = [];
  // A name does not run across a line break.
  const lineStart = before.lastIndexOf('\n') + 1;
  for (const m of [...before.slice(lineStart).matchAll(/\S+/g)].reverse().slice(0, 4)) {
    const word = m[0];
    const at = windowStart + lineStart + (m.index ?? 0);
    // "St." and "Dr." end in a dot but belong to the name ("St. Xavier's College").
    const abbreviation = /^(?:st|dr|mt|sri|shri)\.$/.test(word);
    if ((/[,.;:!?]$/.test(word) && !abbreviation) || !nameWord(at, abbreviation ? word.slice(0, -1) : word)) break;
    left.unshift({ word, at });
  }
  // Describing words go ("a reputed college"), but not where writing capitalises them as part of the name
  // ("Government Engineering College").
  const describing = (w: { word: string; at: number }): boolean => GENERIC.has(w.word) && !(t.cased && /^\p{Lu}/u.test(t.original[w.at]));
  while (left.length > 0 && describing(left[0])) left.shift();
  const start = left[0]?.at ?? keyStart;

  // Right: "of X [and Y]" after a word such as University, or a city after an acronym ("IIT Bombay").
  let end = keyEnd;
  let right = 0;
  const rest = t.lower.slice(keyEnd, keyEnd + 200);
  if (!/^[,.;:!?]/.test(rest)) {
    const words = [...rest.matchAll(/\S+/g)].map((w) => ({ word: w[0], at: keyEnd + w.index }));
    if (ACRONYM.test(keyword)) {
      // "SRM Institute of Science and Technology": the following institution word carries the whole name.
      if (/^(?:university|institute|college|academy|school)\b/.test(words[0]?.word ?? '')) return null;
      const city = words[0];
      if (city && nameWord(city.at, city.word)) {
        end = city.at + city.word.replace(/[,.;:!?]+$/, '').length;
        right = 1;
      }
    } else if (words[0]?.word === 'of') {
      for (let i = 1; i < words.length && right < 3; i++) {
        const { word, at } = words[i];
        const bare = word.replace(/[,.;:!?]+$/, '');
        const joinsAnd = bare === 'and' && OF_AND.test(words[i + 1]?.word.replace(/[,.;:!?]+$/, '') ?? '');
        if (!joinsAnd && !nameWord(at, word)) break;
        if (!joinsAnd) right++;
        end = at + bare.length;
        if (bare !== word) break;
      }
      // "University of Texas at Austin": a campus city after the name.
      const campus = /^ at (\p{L}+)/u.exec(t.original.slice(end));
      if (right > 0 && campus && nameWord(end + 4, campus[1]) && (!t.cased || /^\p{Lu}/u.test(campus[1]))) {
        end += campus[0].length;
      }
    }
  }
  if (left.length === 0 && right === 0 && !ACRONYM.test(keyword)) return null;
  let span = trimSpan(t, start, end);
  // A name made only of generic words takes the city written after it ("Government Arts College, Coimbatore").
  const city = /^,? (\p{Lu}\p{L}+)/u.exec(t.original.slice(end));
  if (span && t.cased && city && span.text.toLowerCase().split(/\s+/).every((w) => GENERIC_NAME.has(w))) {
    span = trimSpan(t, start, end + city[0].length);
  }
  return span ? { ...span, text: titleCaseIfLower(span.text) } : null;
}
