import { collectClauses, withHeadingItems, type ClauseRule } from './clause-rules.js';
import type { IntroText } from './text-tools.js';

/** What makes "received/got/secured ..." an achievement; ordinals only with what they rank ("first place"). */
const AWARD_NOUN =
  /\b(?:prizes?|awards?|medals?|scholarships?|ranks?|trophy|certificates?|certifications?|certified|cgpa|gpa|honou?rs?|distinction|grant|fellowship|commendation|dean's list|recognition|(?:first|second|third|1st|2nd|3rd|top)\s+(?:prize|place|position|rank|\d+))\b/;

const ACHIEVEMENT_RULES: readonly ClauseRule[] = [
  { pattern: /(?:^|\s)(?:won|bagged|winner of|finalist in|finalist at)(?!['\w])\s*/g, keep: 'trigger', maxWords: 14 },
  {
    pattern:
      /(?:^|\s)(?:secured|received|earned|got|was awarded|awarded|achieved|obtained|stood|ranked|placed|topped|completed|hold|holds|(?:was |been )?recogni[sz]ed(?: with)?|(?:was |been )?honou?red(?: with)?)\s+/g,
    keep: 'trigger',
    requires: AWARD_NOUN,
    dropLead: /^(?:was|been)\s+/i,
    maxWords: 14,
  },
  { pattern: /(?:^|\s)(?:published|presented)\s+(?=(?:a|an|my|our|two|three|\d+)?\s*(?:research\s+)?(?:papers?|articles?|research))/g, keep: 'trigger', maxWords: 14 },
  {
    pattern: /(?:^|\s)(?:(?:a|an|our|my|one|two|three|\d+)\s+)?(?:research\s+|first-author\s+|journal\s+|conference\s+)?papers?\s+(?:(?:was|were|got|has been|have been)\s+)?(?:accepted|published|selected)\b\s*/g,
    keep: 'trigger',
    maxWords: 14,
  },
  {
    pattern: /(?:^|\s)i\s+(?:also\s+)?have\s+(?=(?:a|an|one|two|three|four|five|\d+)\s+(?:[\w-]+\s+)?(?:papers?|publications?|patents?)\b)/g,
    keep: 'object',
    maxWords: 14,
  },
  { pattern: /(?:^|\s)(?:first|second|third|1st|2nd|3rd)\s+(?:prize|place|position|rank)\b\s*/g, keep: 'trigger', maxWords: 14 },
  { pattern: /(?:^|\s)(?:placed|stood|ranked|came|finished)\s+(?:first|second|third|1st|2nd|3rd|top)\b\s*/g, keep: 'trigger', maxWords: 14 },
  { pattern: /(?:^|\s)(?:gold|silver|bronze) medal\b\s*/g, keep: 'trigger', maxWords: 14 },
  // "8.2 CGPA", "a CGPA of 9.1", "seven point eight cgpa" (ASR)
  { pattern: /\b(?:\d{1,2}(?:\.\d{1,2})?|[a-z]+ point [a-z]+)\s*(?:cgpa|gpa|cpi|sgpa)\b|\b(?:cgpa|gpa|cpi) of \d{1,2}(?:\.\d{1,2})?/g, keep: 'match', maxWords: 6 },
  { pattern: /(?:^|\s)(?:i|we|our team|my team)\s+(?:have\s+|also\s+)?(?:qualified|cleared|cracked)\b\s*/g, keep: 'trigger', dropLead: /^(?:i|we)\s+(?:have\s+|also\s+)?/i, maxWords: 14 },
  { pattern: /(?:^|\s)(?:an?\s+)?(?:\w+\s+)?rating of\s+/g, keep: 'trigger', maxWords: 8 },
  { pattern: /(?:^|\s)(?:i am|i'm|am)\s+(?:also\s+)?(?:a\s+)?certified\b\s*/g, keep: 'trigger', dropLead: /^(?:i am|i'm|am)\s+(?:also\s+)?(?:a\s+)?/i, maxWords: 10 },
  {
    // Positions of responsibility: "I am the treasurer of our coding club".
    pattern:
      /(?:^|\s)(?:i am|i'm|i was|i've been|i have been|i served as)\s+(?:also\s+)?(?:the\s+|a\s+|an\s+)?(?:captain|vice[- ]captain|president|vice[- ]president|(?:general )?secretary|treasurer|head|coordinator|convenor|convener|(?:class )?representative|chair(?:person)?|founder|co-founder)\s+of\s+/g,
    keep: 'trigger',
    dropLead: /^(?:i am|i'm|i was|i've been|i have been|i served as)\s+(?:also\s+)?(?:the\s+|a\s+|an\s+)?/i,
    maxWords: 10,
  },
];

/** Achievements: prizes, awards, scholarships, ranks, papers, certifications, CGPA, posts of responsibility. */
export function extractAchievements(t: IntroText): string[] {
  return withHeadingItems(t, 'achievements', collectClauses(t, ACHIEVEMENT_RULES), 6);
}
