import { captureClause, uniqueItems, type IntroText } from './text-tools.js';

/** Nouns that make "I built/worked on ..." a project rather than, say, "worked on the data team". */
const PROJECT_NOUN =
  /\b(?:projects?|apps?|application|website|site|web ?app|system|tool|model|bot|chatbot|game|platform|dashboard|portal|api|library|pipeline|robot|device|prototype|software|extension|clone|tracker|predictor|classifier|detector|simulator|plugin|compiler|engine|analy[sz]er|recommender|scraper|compiler)\b/;

const MAX_ITEMS = 5;

interface ClauseRule {
  pattern: RegExp;
  /** Where the kept phrase starts: at the trigger ("interned at X") or after it ("a project that ..."). */
  keep: 'trigger' | 'object';
  /** The kept phrase must mention one of these within its first words. */
  requires?: RegExp;
  /** Skip a match when the text right before the trigger matches ("want to work at" is a goal, not a job). */
  notAfter?: RegExp;
  maxWords: number;
}

function collect(t: IntroText, rules: readonly ClauseRule[]): string[] {
  const found: Array<{ text: string; start: number; end: number }> = [];
  for (const rule of rules) {
    rule.pattern.lastIndex = 0;
    for (let m = rule.pattern.exec(t.lower); m; m = rule.pattern.exec(t.lower)) {
      const triggerStart = m.index + (m[0].length - m[0].trimStart().length);
      if (rule.notAfter?.test(t.lower.slice(Math.max(0, triggerStart - 40), triggerStart))) continue;
      const objectStart = m.index + m[0].length;
      const object = captureClause(t, objectStart, { maxWords: rule.maxWords, commaEnds: true });
      if (!object) continue;
      if (rule.requires && !rule.requires.test(t.lower.slice(object.start, object.end).split(/\s+/).slice(0, 6).join(' '))) {
        continue;
      }
      const start = rule.keep === 'trigger' ? triggerStart : object.start;
      // One statement matched by two rules is kept once.
      if (found.some((f) => start < f.end && object.end > f.start)) continue;
      const text = t.original.slice(start, object.end).replace(/^(?:a|an|the)\s+/i, '');
      found.push({ text, start, end: object.end });
    }
  }
  found.sort((a, b) => a.start - b.start);
  return uniqueItems(found.map((f) => f.text)).slice(0, MAX_ITEMS);
}

const PROJECT_RULES: readonly ClauseRule[] = [
  {
    pattern: /\b(?:i|we)\s+(?:have\s+|had\s+|also\s+|recently\s+|once\s+)*(?:built|build|developed|develop|created|create|made|designed|implemented|programmed|coded|worked on|am working on|was working on|completed|did)\s+/g,
    keep: 'object',
    requires: PROJECT_NOUN,
    maxWords: 16,
  },
  {
    pattern: /\b(?:my|one of my|our)\s+(?:\w+\s+){0,2}?project\s+(?:is|was|called|named|titled|on|about|involves|involved)\s+(?:on\s+|about\s+|called\s+)?/g,
    keep: 'object',
    maxWords: 16,
  },
  { pattern: /\bprojects?\s+(?:like|such as|including|called|named|titled)\s+/g, keep: 'object', maxWords: 16 },
];

/** Projects: "I built/developed/worked on a project|app|tool ...", "my final year project is ...". */
export function extractProjects(t: IntroText): string[] {
  return collect(t, PROJECT_RULES);
}

const EXPERIENCE_RULES: readonly ClauseRule[] = [
  {
    pattern: /(?:^|\s)(?:interned|(?:did|completed|doing|done|finished|pursued)\s+(?:an?|my|the)\s+(?:\w+\s+)?internship|(?:an?\s+)?internship|worked as an intern|was an intern|am interning|was interning)\s+(?:at|with|in)\s+/g,
    keep: 'trigger',
    maxWords: 12,
  },
  {
    pattern: /(?:^|\s)(?:worked|working|work|employed|served)\s+(?:as|at|for)\s+/g,
    keep: 'trigger',
    requires: /^(?!(?:a |the |one )?team\b|part of)/,
    notAfter: /\b(?:to|would|will|wish|want|hope|love|like|can|could)\s*$/,
    maxWords: 12,
  },
  { pattern: /(?:^|\s)(?:\w+\s+)?(?:years?|months?)\s+of\s+(?:\w+\s+)?experience\b\s*/g, keep: 'trigger', maxWords: 12 },
  { pattern: /(?:^|\s)(?:freelanc\w+|part[- ]time job)\b\s*/g, keep: 'trigger', maxWords: 12 },
];

/** Work experience: "interned at X", "did an internship with X", "worked at/as X", "two years of experience". */
export function extractExperience(t: IntroText): string[] {
  return collect(t, EXPERIENCE_RULES).filter((item) => item.split(/\s+/).length >= 3);
}

const AWARD_NOUN =
  /\b(?:prizes?|awards?|medals?|scholarships?|ranks?|position|place|trophy|certificates?|cgpa|gpa|percent|percentage|first|second|third|top|honou?rs?|distinction|grant|fellowship)\b/;

const ACHIEVEMENT_RULES: readonly ClauseRule[] = [
  { pattern: /(?:^|\s)(?:won|bagged|winner of|finalist in|finalist at)(?!['\w])\s*/g, keep: 'trigger', maxWords: 14 },
  {
    pattern: /(?:^|\s)(?:secured|received|earned|got|was awarded|awarded|achieved|obtained|stood|ranked|placed|topped)\s+/g,
    keep: 'trigger',
    requires: AWARD_NOUN,
    maxWords: 14,
  },
  { pattern: /(?:^|\s)(?:published|presented)\s+(?=(?:a|an|my|our|two|three|\d+)?\s*(?:research\s+)?(?:papers?|articles?|research))/g, keep: 'trigger', maxWords: 14 },
  { pattern: /(?:^|\s)(?:first|second|third|1st|2nd|3rd)\s+(?:prize|place|position|rank)\b\s*/g, keep: 'trigger', maxWords: 14 },
  { pattern: /(?:^|\s)(?:gold|silver|bronze) medal\b\s*/g, keep: 'trigger', maxWords: 14 },
];

/** Achievements: "won ...", "first prize ...", "secured a scholarship", "published a paper ...". */
export function extractAchievements(t: IntroText): string[] {
  return collect(t, ACHIEVEMENT_RULES);
}
