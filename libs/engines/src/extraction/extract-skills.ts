import { headingValue } from './headings.js';
import { SKILLS, type SkillEntry } from './skills-vocabulary.js';
import { captureClause, splitList, titleCaseIfLower, type IntroText, type Span } from './text-tools.js';

/** "not", "never", "don't know", ... within the three words before a skill: "I don't know Java yet" is no skill. */
const NEGATION = /\b(?:not|never|no|don't|dont|haven't|havent|cannot|can't|cant|without|lack)\b/;

/** Right after a domain, these make it a role or a team, not a claimed skill ("a machine learning engineer"). */
const ROLE_AFTER = /^[\s-]+(?:engineers?|scientists?|researchers?|developers?|leads?|interns?|internships?|roles?|teams?|positions?|jobs?|specialists?|architects?|analysts?|research)\b/;
/** Right before a skill, these make it a field of study or a profile, not a skill ("I studied Statistics"). */
const NOT_CLAIMED_BEFORE = /\b(?:studied|study|studying|majoring in|majored in|major in|degree in|graduation in|specializing in|specialising in|department of)\s+$/;
/** Clauses that name interests and wishes, not abilities: "my areas of interest are VLSI", "I want to learn Go". */
const NOT_CLAIMED_CLAUSE =
  /\b(?:areas? of interest|interests? (?:is|are|include|lies?)|interested in|passionate about|fascinated by|(?:want|wish|plan|hope|would like|'d like) to (?:learn|explore|get into|work|become|be|join|build|pursue|specialise|specialize|move))\b/g;

/** Phrases that introduce a list of skills; `anyCase` lists may hold lowercase items ("microservices and system design"). */
const SKILL_LISTS: ReadonlyArray<{ pattern: RegExp; anyCase: boolean }> = [
  { pattern: /\bmy (?:\w+ ){0,2}?(?:skills?|skill ?set|tool ?kit|tech stack|stack|strengths? in tech\w*) (?:are|is|include|includes|would be)\s+/g, anyCase: true },
  { pattern: /\bi (?:also )?(?:know|have (?:a )?(?:good |strong |solid |basic )?(?:knowledge|experience|hands-on experience|expertise) (?:of|in|with))\s+/g, anyCase: true },
  {
    pattern:
      /\bi(?: am|'m) (?:also )?(?:very |quite |really |pretty )?(?:(?:comfortable|familiar|proficient|skilled|experienced|strong|fluent|well[- ]versed|hands-on) (?:with|in|at)|good (?:with|in))\s+/g,
    anyCase: true,
  },
  { pattern: /\bi (?:also )?(?:mainly |mostly |primarily )?(?:work|code|program|develop) (?:mainly |mostly |primarily )?(?:with|in|using)\s+/g, anyCase: false },
  {
    pattern: /\bi(?:'ve| have)? (?:also |now |mostly |mainly )?(?:use|used|picked up|learned|learnt|taught myself|worked with|am learning|'m learning|am also learning)\s+/g,
    anyCase: false,
  },
];

/** Words that start no skill: what follows "I know" / "I use" when it is not a list of tools. */
const NOT_A_SKILL_START =
  /^(?:a|an|the|my|it|this|that|these|those|i|we|you|he|she|they|how|what|when|where|why|to|for|about|some|lot|lots|many|much|things?|stuff|everything|anything|something|people|them|him|her|computers?|coding|programming|basics?|little|bit|more|most|well|very|really)\b/;

interface Found {
  name: string;
  start: number;
  end: number;
}

/**
 * Skills in the order they are first mentioned: names from the vocabulary anywhere they are claimed, plus
 * unknown items of an explicit skill list ("I work mainly in MATLAB, Simulink and Python", "Skills: ...").
 * Overlapping matches keep the longest ("my sql" is MySQL, not also SQL). Not counted: matches inside `exclude`
 * spans (the major, the institution, the career goal), interests and wishes, a domain that names a role ("a
 * machine learning engineer"), a field studied ("I studied Statistics"), and negated ones ("I don't know Java").
 */
export function extractSkills(t: IntroText, exclude: ReadonlyArray<Span | null>): string[] {
  const notClaimed = [...exclude.filter((s): s is Span => s !== null), ...clausesMatching(t, NOT_CLAIMED_CLAUSE)];
  const inside = (start: number, end: number): boolean => notClaimed.some((span) => start < span.end && end > span.start);
  const known = vocabularyHits(t).filter((hit) => !inside(hit.start, hit.end) && claimed(t, hit));
  const listed = listedSkills(t).filter((item) => !inside(item.start, item.end) && !known.some((k) => item.start < k.end && item.end > k.start));
  const all = [...known.map(({ name, start, end }) => ({ name, start, end })), ...listed].sort((a, b) => a.start - b.start);
  const seen = new Set<string>();
  return all.filter((f) => !seen.has(f.name.toLowerCase()) && seen.add(f.name.toLowerCase())).map((f) => f.name);
}

function vocabularyHits(t: IntroText): Array<Found & { entry: SkillEntry }> {
  const hits: Array<Found & { entry: SkillEntry }> = [];
  for (const entry of SKILLS) {
    entry.pattern.lastIndex = 0;
    for (let m = entry.pattern.exec(t.lower); m; m = entry.pattern.exec(t.lower)) {
      hits.push({ name: entry.name, start: m.index, end: m.index + m[0].length, entry });
    }
  }
  hits.sort((a, b) => a.start - b.start || b.end - b.start - (a.end - a.start));
  let coveredTo = -1;
  return hits.filter((hit) => {
    if (hit.start < coveredTo) return false;
    coveredTo = hit.end;
    return true;
  });
}

function claimed(t: IntroText, hit: Found & { entry: SkillEntry }): boolean {
  const before = t.lower.slice(Math.max(0, hit.start - 40), hit.start);
  if (NEGATION.test(before.split(/\s+/).slice(-4).join(' '))) return false;
  if (NOT_CLAIMED_BEFORE.test(before)) return false;
  if (hit.entry.name === 'GitHub' && /\b(?:on|my|our)\s+$/.test(before)) return false; // "it is on my GitHub"
  // A one-letter language is only believable where writing capitalises it ("Stata and R").
  if (hit.end - hit.start === 1 && hit.entry.name === 'R' && t.original[hit.start] !== 'R') return false;

  return hit.entry.kind !== 'domain' || !ROLE_AFTER.test(t.lower.slice(hit.end, hit.end + 30));
}

/** Items of skill lists that the vocabulary does not know, as written. */
function listedSkills(t: IntroText): Found[] {
  const found: Found[] = [];
  const takeList = (span: Span, anyCase: boolean): void => {
    let at = span.start;
    for (const raw of splitList(span.text)) {
      const start = t.original.indexOf(raw, at);
      if (start < 0) continue;
      at = start + raw.length;
      // "Python for data analysis": the tool is the head of the item.
      const item = raw.split(/\s+(?:for|to|in|at|on|from|because|since|as|which|that|when|while|like|every|during)\s+/i)[0].trim();
      if (acceptable(t, item, anyCase)) found.push({ name: titleCaseIfLower(item), start, end: start + item.length });
    }
  };
  const heading = headingValue(t, 'skills');
  if (heading) takeList(heading, true);
  for (const { pattern, anyCase } of SKILL_LISTS) {
    pattern.lastIndex = 0;
    for (let m = pattern.exec(t.lower); m; m = pattern.exec(t.lower)) {
      const list = captureClause(t, m.index + m[0].length, { maxWords: 16 });
      if (list) takeList(list, anyCase);
    }
  }
  return found;
}

/**
 * An unknown list item counts as a skill only in written text (ASR turns rare tool names into ordinary words),
 * when it is short, starts like a name, and is capitalised ("Simulink", "STAAD Pro") or stands in a list that
 * is explicitly about skills ("my core skills are ... system design").
 */
function acceptable(t: IntroText, item: string, anyCase: boolean): boolean {
  if (!t.cased || item.length < 2) return false;
  const words = item.split(/\s+/);
  if (words.length > 3 || NOT_A_SKILL_START.test(item.toLowerCase())) return false;
  if (!/^[\p{L}\d][\p{L}\d /+#.&-]*$/u.test(item) || /\b(?:is|are|was|were|am|be|been|have|has|had|do|does|did|can|will)\b/i.test(item)) return false;
  if (/^\p{Ll}+ing\b/u.test(item)) return false; // "leading teams" is an activity, not a named skill
  // "I know Python and built a chatbot": the list ended and a statement began.
  if (/^(?:\p{Ll}+ed|built|made|did|won|got|led|wrote|ran|began|took|went|love|like|want)\b/u.test(item)) return false;
  if (/\s(?:a|an|the|my|our|your|his|her|their)\s/i.test(` ${item} `)) return false;
  return anyCase || /\p{Lu}/u.test(item);
}

/** The clauses that start with a match of `pattern`, as spans. */
function clausesMatching(t: IntroText, pattern: RegExp): Span[] {
  const spans: Span[] = [];
  pattern.lastIndex = 0;
  for (let m = pattern.exec(t.lower); m; m = pattern.exec(t.lower)) {
    const clause = captureClause(t, m.index + m[0].length, { maxWords: 16 });
    spans.push({ text: '', start: m.index, end: clause?.end ?? m.index + m[0].length });
  }
  return spans;
}
