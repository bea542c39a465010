import { headingItems, type HeadingField } from './headings.js';
import { normalizeSpokenYears } from './spoken-numbers.js';
import { captureClause, uniqueItems, type IntroText } from './text-tools.js';

/** A statement pattern that yields one list item (a project, a job, an award) from the clause it opens. */
export interface ClauseRule {
  pattern: RegExp;
  /**
   * What the item is: the trigger and its clause ("interned at X"), only the clause after the trigger ("a
   * project that ..."), or only the text the pattern matched ("8.2 CGPA").
   */
  keep: 'trigger' | 'object' | 'match';
  /** The kept clause must contain this. */
  requires?: RegExp;
  /** Skip a match when its clause before the trigger matches ("want to work at" is a goal, not a job). */
  notAfter?: RegExp;
  /** Removed from the start of the item ("I am the treasurer of ..." -> "treasurer of ..."). */
  dropLead?: RegExp;
  /** Continue past a comma that a participle follows ("an intern at X, working on Y"). */
  throughParticiple?: boolean;
  maxWords: number;
}

export interface ClauseItem {
  text: string;
  start: number;
  end: number;
}

/** Words before a trigger, in its sentence, that make the statement a wish: "I want to work at Google". */
const WISH = /\b(?:want|wants|wish|hope|hoping|plan|planning|aspire|aim|dream|goal|would like|'d like|would love|'d love|looking) to\b|\bin (?:the )?future\b|\bafter (?:my )?(?:graduation|degree|uni|college)\b/;

/**
 * Items from every rule, in text order, at most one per stretch of text (two rules matching one statement give
 * one item), without wishes ("I want to build ..."). Spoken years in ASR items become digits.
 */
export function collectClauses(t: IntroText, rules: readonly ClauseRule[]): ClauseItem[] {
  const found: ClauseItem[] = [];
  for (const rule of rules) {
    rule.pattern.lastIndex = 0;
    for (let m = rule.pattern.exec(t.lower); m; m = rule.pattern.exec(t.lower)) {
      const triggerStart = m.index + (m[0].length - m[0].trimStart().length);
      const before = sentenceBefore(t, triggerStart);
      if (rule.notAfter?.test(before) || WISH.test(before)) continue;
      const item = itemAt(t, rule, m, triggerStart);
      if (!item) continue;
      if (found.some((f) => item.start < f.end && item.end > f.start)) continue;
      found.push(item);
    }
  }
  return found.sort((a, b) => a.start - b.start);
}

function itemAt(t: IntroText, rule: ClauseRule, m: RegExpExecArray, triggerStart: number): ClauseItem | null {
  const objectStart = m.index + m[0].length;
  let start = rule.keep === 'object' ? objectStart : triggerStart;
  let end = objectStart;
  if (rule.keep !== 'match') {
    const object = captureClause(t, objectStart, { maxWords: rule.maxWords, commaEnds: true, throughParticiple: rule.throughParticiple });
    if (!object) return null;
    if (rule.requires && !rule.requires.test(t.lower.slice(object.start, object.end))) return null;
    start = rule.keep === 'object' ? object.start : start;
    end = object.end;
  }
  let text = t.original.slice(start, end).trim();
  const lead = rule.dropLead?.exec(text);
  if (lead) {
    text = text.slice(lead[0].length);
    start += lead[0].length;
  }
  text = text.replace(/^(?:a|an|the)\s+/i, '').replace(/[\s,.;:]+$/, '');
  if (!t.cased) text = normalizeSpokenYears(text);
  return text ? { text, start, end } : null;
}

/**
 * The trigger's own clause up to the trigger: from its sentence start (at most 80 characters back), and from the
 * last subject ("i", "we") where ASR gives no punctuation.
 */
function sentenceBefore(t: IntroText, at: number): string {
  const from = Math.max(0, at - 80, ...['.', '!', '?', '\n'].map((c) => t.lower.lastIndexOf(c, at - 1) + 1));
  const before = t.lower.slice(from, at);
  const subject = [...before.matchAll(/(?:^|\s)(?:i|i'm|im|i've|we)\s/g)].pop();
  return subject ? before.slice(subject.index) : before;
}

/** The labelled items ("Projects: a; b") followed by the items found in sentences, without repeats. */
export function withHeadingItems(t: IntroText, field: HeadingField, items: readonly ClauseItem[], max: number): string[] {
  return uniqueItems([...headingItems(t, field), ...items.map((item) => item.text)]).slice(0, max);
}
