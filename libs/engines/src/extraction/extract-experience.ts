import { collectClauses, withHeadingItems, type ClauseItem, type ClauseRule } from './clause-rules.js';
import type { IntroText } from './text-tools.js';

/** What people are when they hold a job or an internship ("a research intern at ..."). */
const ROLE =
  /^(?:[\w-]+\s+){0,3}?(?:interns?|engineers?|developers?|analysts?|assistants?|consultants?|managers?|scientists?|associates?|trainees?|designers?|architects?|officers?|executives?|researchers?|leads?|volunteers?|tutors?|teachers?|lecturers?|specialists?|administrators?|accountants?|auditors?|nurses?|technicians?)\s+(?:at|in|for)\b/;

const EXPERIENCE_RULES: readonly ClauseRule[] = [
  {
    pattern:
      /(?:^|\s)(?:interned|(?:did|completed|doing|done|finished|pursued|undergone|underwent)\s+(?:(?:an?|my|the|some)\s+)?(?:[\w-]+\s+){0,3}?(?:internship|training|postings?|rotations?|apprenticeship)|(?:an?\s+)?internship|worked as an intern|was an intern|am interning|was interning)\s+(?:at|with|in|for)\s+/g,
    keep: 'trigger',
    throughParticiple: true,
    maxWords: 12,
  },
  {
    // Not "worked with": that is mostly tools ("worked with SolidWorks"), not employers.
    pattern: /(?:^|\s)(?:worked|working|work|employed|served|serving)\s+(?:(?:part[- ]time|full[- ]time|currently|now|remotely|mainly|there)\s+)?(?:as|at|for)\s+/g,
    keep: 'trigger',
    requires: /^(?!(?:a |the |one )?team\b|part of)/,
    notAfter: /\b(?:to|would|will|can|could)\s*$/,
    throughParticiple: true,
    maxWords: 12,
  },
  {
    // "I worked in customer support", "working in Wipro as a project engineer": not "work in a team".
    pattern: /(?:^|\s)(?:worked|working|have worked|been working)\s+in\s+(?!(?:a |the )?teams?\b|groups?\b|pairs?\b)/g,
    keep: 'trigger',
    notAfter: /\b(?:to|would|will|can|could)\s*$/,
    throughParticiple: true,
    maxWords: 12,
  },
  {
    pattern: /(?:^|\s)(?:joined|started (?:my career |working )?(?:at|with|in)|started at)\s+/g,
    keep: 'trigger',
    requires: /\bas\s+(?:an?\s+)?\w+|^(?!the\b|a\b|an\b|in\b|on\b|at\b|this\b|our\b|my\b|\d|b\.?\s?tech|b\.?e\b|m\.?\s?tech|college|university)/,
    throughParticiple: true,
    maxWords: 12,
  },
  {
    // "I was a research intern at ...", "I'm currently an intern at Freshworks, working on ...".
    pattern: /(?:^|\s)(?:i am|i'm|im|i was|i've been|i have been)\s+(?:also\s+|currently\s+|now\s+|presently\s+)*(?:an?|the)\s+(?=(?:[\w-]+\s+){0,3}?\w+\s+(?:at|in|for)\b)/g,
    keep: 'object',
    requires: ROLE,
    throughParticiple: true,
    maxWords: 12,
  },
  { pattern: /(?:^|\s)(?:i\s+)?(?:also\s+)?ta\s+(?=(?:the|for)\s)/g, keep: 'trigger', dropLead: /^(?:i\s+)?(?:also\s+)?/i, maxWords: 10 },
  { pattern: /(?:^|\s)(?:\w+\s+)?(?:years?|months?)\s+of\s+(?:\w+\s+)?experience\b\s*/g, keep: 'trigger', maxWords: 12 },
  { pattern: /(?:^|\s)(?:freelanc\w+|part[- ]time job)\b\s*/g, keep: 'trigger', maxWords: 12 },
];

/** "N years of experience" restates the roles when they are named too: it stands alone only. */
const SUMMARY = /\b(?:years?|months?)\s+of\s+(?:\w+\s+)?experience\b/i;

/**
 * Work experience: "interned at X", "did a training at X", "worked at/as X", "joined X as Y", "I was a research
 * intern at X", "two years of experience" (only when no role is named). "Working there as ..." continues the job
 * before it and is joined to it.
 */
export function extractExperience(t: IntroText): string[] {
  const found = collectClauses(t, EXPERIENCE_RULES).filter((item) => item.text.split(/\s+/).length >= 3);
  const roles = found.filter((item) => !SUMMARY.test(item.text));
  const items = roles.length > 0 ? roles : found;
  const joined: ClauseItem[] = [];
  for (const item of items) {
    const previous = joined[joined.length - 1];
    if (previous && /\bthere\s+as\b/i.test(item.text) && item.start - previous.end < 80) {
      joined[joined.length - 1] = { ...previous, text: `${previous.text} and ${item.text}`, end: item.end };
    } else {
      joined.push(item);
    }
  }
  return withHeadingItems(t, 'experience', joined, 5);
}
