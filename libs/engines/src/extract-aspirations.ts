import { captureClause, splitList, uniqueItems, type IntroText } from './text-tools.js';

/** Things people do for fun, so "I enjoy chess" counts as a hobby without the word "hobby". */
const HOBBY_WORDS =
  /^(?:chess|music|cricket|football|soccer|basketball|badminton|tennis|volleyball|books|novels|movies|films|travel|travelling|traveling|photography|painting|drawing|sketching|dance|dancing|singing|cooking|baking|gaming|games|video games|sports|hiking|trekking|yoga|gym|swimming|cycling|running|writing|poetry|guitar|piano|anime|gardening|blogging|meditation|fitness)\b/;
/** Gerunds that describe work rather than leisure: "I enjoy solving problems" is not a hobby. */
const WORK_GERUNDS =
  /^(?:working|learning|solving|building|developing|coding|programming|collaborating|leading|managing|helping|exploring|contributing|creating|designing|analy[sz]ing|taking|making|understanding|applying|using|improving|researching|teaching|mentoring)\b/;

const HOBBY_TRIGGERS: readonly RegExp[] = [
  /\b(?:in|during) my (?:free|spare|leisure) time,?\s+(?:i\s+)?(?:also\s+|really\s+)?(?:like to|love to|enjoy|love|like|prefer to|prefer|go for|go|do|play)?\s*/g,
  /\b(?:when i am|when i'm) (?:free|not studying|not working),?\s+(?:i\s+)?(?:like to|love to|enjoy|love|like)?\s*/g,
  /\bmy hobbies (?:are|include|would be)\s+/g,
  /\bmy (?:main |favou?rite )?hobby is\s+/g,
  /\bhobbies (?:like|such as|including)\s+/g,
  /\bi (?:am|'m) (?:very |really )?fond of\s+/g,
];
const GENERIC_LIKE = /\bi (?:really |also |truly )?(?:enjoy|love|like)(?: to)?\s+/g;

/**
 * Hobbies as list items: after "in my free time", "my hobbies are", "I'm fond of"; and after a bare "I enjoy /
 * love X" only when X is a leisure word or a gerund that is not about work ("I enjoy solving problems" is not).
 */
export function extractHobbies(t: IntroText): string[] {
  const items: string[] = [];
  const take = (from: number, filter?: (item: string) => boolean): void => {
    const clause = captureClause(t, from, { maxWords: 14, commaEnds: false });
    if (!clause) return;
    for (const item of splitList(clause.text)) {
      const words = item.split(/\s+/);
      if (words.length > 6) continue;
      if (filter && !filter(item.toLowerCase())) continue;
      items.push(item);
    }
  };
  for (const pattern of HOBBY_TRIGGERS) {
    pattern.lastIndex = 0;
    for (let m = pattern.exec(t.lower); m; m = pattern.exec(t.lower)) take(m.index + m[0].length);
  }
  GENERIC_LIKE.lastIndex = 0;
  for (let m = GENERIC_LIKE.exec(t.lower); m; m = GENERIC_LIKE.exec(t.lower)) {
    const next = t.lower.slice(m.index + m[0].length);
    const leisure = HOBBY_WORDS.test(next) || (/^[a-z]+ing\b/.test(next) && !WORK_GERUNDS.test(next));
    const travel = /^(?:travel|read|cook|sing|dance|paint|draw|swim|hike|trek|play)\b/.test(next) && m[0].endsWith('to ');
    if (leisure || travel) {
      take(m.index + m[0].length, (item) => HOBBY_WORDS.test(item) || !WORK_GERUNDS.test(item));
    }
  }
  return uniqueItems(items).slice(0, 8);
}

/** Explicit goal statements come first: "my goal is" beats "I want to". */
const GOAL_EXPLICIT =
  /\b(?:my (?:career |long[- ]term |short[- ]term |ultimate |main |future |professional )?(?:goal|aim|ambition|dream|objective|aspiration|god)\s+is\s+(?:to\s+)?|i aspire to\s+|i aim to\s+|i dream of\s+|i see myself\s+|in (?:the )?future,?\s+i (?:want|would like|hope|plan|wish) to\s+)/g;
const GOAL_SOFT = /\b(?:i want to|i wanna|i would like to|i'd like to|i wish to|i hope to|i plan to|i intend to)\s+/g;
/** A "want to" phrase is a career goal only when it is about work: "I want to thank you" is not. */
const CAREER_WORDS =
  /\b(?:become|be an?|work|career|pursue|build|join|start|engineer|scientist|developer|researcher|manager|analyst|designer|consultant|entrepreneur|role|position|company|industry|field|contribute|grow|phd|master'?s|higher studies|lead|professional|expert|specialist|job|internship)\b/;

/** Career goal: "my goal is to ...", "I aspire to ...", "I want to become ..."; null when not stated. */
export function extractCareerGoal(t: IntroText): string | null {
  for (const [pattern, needsCareerWord] of [
    [GOAL_EXPLICIT, false],
    [GOAL_SOFT, true],
  ] as const) {
    pattern.lastIndex = 0;
    for (let m = pattern.exec(t.lower); m; m = pattern.exec(t.lower)) {
      const clause = captureClause(t, m.index + m[0].length, { maxWords: 16 });
      if (!clause) continue;
      if (needsCareerWord && !CAREER_WORDS.test(clause.text.toLowerCase())) continue;
      return clause.text;
    }
  }
  return null;
}

const STRENGTH_TRIGGERS: readonly RegExp[] = [
  /\bmy (?:key |main |biggest |greatest |core |major |top )?strengths? (?:are|is|include|would be|lies? in)\s+/g,
  /\bi(?: am|'m) (?:very |really |quite |also )?(?:good at|good in|strong in|strong at|skilled at|great at)\s+/g,
  /\bi excel (?:at|in)\s+/g,
];
/** Self-descriptions that are strengths when someone says "I am a ...". */
const TRAITS =
  /\bi(?: am|'m) (?:also )?(?:a |an )?(?:very )?(quick learner|fast learner|hard[- ]?working|hard worker|self[- ]motivated|team player|detail[- ]oriented|disciplined|punctual|dedicated|adaptable|creative|curious|organi[sz]ed|reliable|responsible|patient|confident)\b/g;

/** Strengths as list items: "my strengths are ...", "I am good at ...", "I am a quick learner". */
export function extractStrengths(t: IntroText): string[] {
  const items: Array<{ at: number; text: string }> = [];
  for (const pattern of STRENGTH_TRIGGERS) {
    pattern.lastIndex = 0;
    for (let m = pattern.exec(t.lower); m; m = pattern.exec(t.lower)) {
      const clause = captureClause(t, m.index + m[0].length, { maxWords: 12 });
      if (!clause) continue;
      for (const item of splitList(clause.text)) {
        if (item.split(/\s+/).length <= 5) items.push({ at: clause.start, text: item });
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
