import { collectClauses, withHeadingItems, type ClauseRule } from './clause-rules.js';
import type { IntroText } from './text-tools.js';

/** Nouns that make "I built/worked on ..." a project rather than, say, "worked on the data team". */
const PROJECT_NOUN =
  /\b(?:projects?|apps?|applications?|website|site|web ?app|system|tool|models?|bot|chatbot|game|platform|dashboard|portal|apis?|library|pipeline|robot|rover|drone|vehicle|device|prototype|software|extension|clone|tracker|predictor|classifier|detector|simulator|simulation|plugin|compiler|engine|analy[sz]er|recommender|scraper|service|feature|module|framework|interface|network|solution|flow|score|migration|thesis|dissertation|paper|report|study|analysis|research|electronics|circuit|controller|automation)\b/;

const SUBJECT = String.raw`(?:i|we|my team|our team)`;
const BUILT = String.raw`(?:built|build|developed|develop|created|create|made|make|designed|design|implemented|programmed|coded|worked on|work on|completed|did|led|launched|shipped|architected|automated|wrote|written)`;
const BUILDING = String.raw`(?:building|developing|creating|designing|making|working on|doing)`;

const PROJECT_RULES: readonly ClauseRule[] = [
  {
    pattern: /\b(?:did|done|completed|doing)\s+(?:a|an|my|the|our)\s+(?:mini\s+|major\s+|final[- ]year\s+|academic\s+|group\s+|course\s+)?project\s+(?:on|about|titled|called|named)\s+/g,
    keep: 'object',
    maxWords: 16,
  },
  {
    // "For my final-year project I'm building a system that ...", "For my capstone project my team is building ..."
    pattern: new RegExp(
      String.raw`\b(?:for|as|in)\s+(?:my|our|a|the)\s+(?:[\w.'-]+\s+){0,2}?(?:project|thesis|dissertation|capstone)\b,?\s+${SUBJECT}(?:'m|'re| am| are| is| was| were)?\s+(?:currently\s+|also\s+)?(?:${BUILDING}|${BUILT})\s+`,
      'g',
    ),
    keep: 'object',
    maxWords: 16,
  },
  {
    pattern: /\b(?:my|one of my|our)\s+(?:[\w.'-]+\s+){0,3}?(?:project|thesis|dissertation|research|capstone)\s+(?:is|was|called|named|titled|on|about|involves|involved|focuses on|deals with)\s+(?:on\s+|about\s+|called\s+)?/g,
    keep: 'object',
    maxWords: 16,
  },
  {
    pattern: new RegExp(
      String.raw`\b${SUBJECT}\s+(?:(?:have|had|also|recently|once|then|have also)\s+)*(?:${BUILT}|(?:am|'m|are|'re|is|was|were)\s+(?:currently\s+|also\s+)?${BUILDING})\s+`,
      'g',
    ),
    keep: 'object',
    requires: PROJECT_NOUN,
    // "I interned at Zoho, where I worked on their billing APIs": what a job involved, not the speaker's project
    // (unlike "I'm in the robotics club, where I work on our rover").
    notAfter: /\b(?:intern\w*|job|career|company|employ\w*|worked|working|joined|engineer|developer|analyst|associate|consultant|trainee)\b.*\bwhere\s*$/,
    throughParticiple: true,
    maxWords: 16,
  },
  { pattern: /\bprojects?\s+(?:like|such as|including|called|named|titled)\s+/g, keep: 'object', maxWords: 16 },
];

/** Projects: "I built/developed/worked on an app ...", "my final-year project is ...", "My thesis is on ...". */
export function extractProjects(t: IntroText): string[] {
  return withHeadingItems(t, 'projects', collectClauses(t, PROJECT_RULES), 5);
}
