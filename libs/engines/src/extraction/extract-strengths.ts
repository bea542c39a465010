import { SKILLS } from './skills-vocabulary.js';
import { captureClause, splitList, uniqueItems, type IntroText } from './text-tools.js';

const STRENGTH_TRIGGERS: readonly RegExp[] = [
  /\bmy (?:key |main |biggest |greatest |core |major |top )?strengths? (?:are|is|include|would be|lies? in)\s+/g,
  /\bi(?: am|'m) (?:very |really |quite |also )?(?:good at|good in|strong in|strong at|skilled at|great at)\s+/g,
  /\bi excel (?:at|in)\s+/g,
  /\bi(?: would|'d)? (?:describe|consider|see) myself as\s+/g,
];
/** Self-descriptions that are strengths when someone says "I am a ...". */
const TRAITS =
  /\bi(?: am|'m) (?:also )?(?:a |an )?(?:very )?(quick learner|fast learner|hard[- ]?working|hard worker|self[- ]motivated|team player|detail[- ]oriented|disciplined|punctual|dedicated|adaptable|creative|curious|organi[sz]ed|reliable|responsible|patient|confident)\b/g;

/**
 * Strengths as list items: "my strengths are ...", "I am good at ...", "I'd describe myself as a patient and
 * organised person", "I am a quick learner". Tools and technologies said the same way ("I'm strong in R and
 * Python") are skills, not personal strengths, and are left out.
 */
export function extractStrengths(t: IntroText): string[] {
  const items: Array<{ at: number; text: string }> = [];
  for (const pattern of STRENGTH_TRIGGERS) {
    pattern.lastIndex = 0;
    for (let m = pattern.exec(t.lower); m; m = pattern.exec(t.lower)) {
      const clause = captureClause(t, m.index + m[0].length, { maxWords: 12 });
      if (!clause) continue;
      for (const raw of splitList(clause.text)) {
        const item = raw.replace(/^(?:an?|very)\s+/i, '').replace(/\s+(?:person|individual|one|guy|girl|human being)$/i, '');
        if (item.split(/\s+/).length <= 5 && !isTechnical(t, item)) items.push({ at: clause.start, text: item });
      }
    }
  }
  TRAITS.lastIndex = 0;
  for (let m = TRAITS.exec(t.lower); m; m = TRAITS.exec(t.lower)) {
    const at = m.index + m[0].length - m[1].length;
    items.push({ at, text: t.original.slice(at, at + m[1].length) });
  }
  items.sort((a, b) => a.at - b.at);
  return uniqueItems(items.map((item) => item.text)).slice(0, 8);
}

/** A technology or tool: in the vocabulary (not a soft skill), or capitalised in written text ("Selenium"). */
function isTechnical(t: IntroText, item: string): boolean {
  const lower = item.toLowerCase();
  const known = SKILLS.find((entry) => {
    entry.pattern.lastIndex = 0;
    const m = entry.pattern.exec(lower);
    return m !== null && m[0].length === lower.length;
  });
  if (known) return known.kind !== 'soft';
  return t.cased && /^\p{Lu}/u.test(item) && !/^(?:I|I'm)\b/.test(item);
}
