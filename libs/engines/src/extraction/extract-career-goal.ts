import { headingValue } from './headings.js';
import { captureClause, type IntroText, type Span } from './text-tools.js';

/** Explicit goal statements come first: "my goal is" beats "I want to". */
const GOAL_EXPLICIT =
  /\b(?:my ((?:career |long[- ]term |short[- ]term |ultimate |main |future |professional )?)(?:goal|aim|ambition|dream|objective|aspiration|god)\s+is\s+(?:to\s+)?|i aspire to\s+|i aim to\s+|i dream of\s+|i see myself\s+|in (?:the )?future,?\s+i (?:want|would like|hope|plan|wish) to\s+)/g;
const GOAL_SOFT =
  /\b(?:i want to|i wanna|i would like to|i'd like to|i would love to|i'd love to|i wish to|i hope to|i plan to|i intend to|i(?: am|'m)(?: now)? looking to)\s+/g;
/** A "want to" phrase is a career goal only when it is about work: "I want to thank you" is not. */
const CAREER_WORDS =
  /\b(?:become|be an?|work|career|pursue|build|join|start|engineer|scientist|developer|researcher|manager|analyst|designer|consultant|entrepreneur|role|position|company|industry|field|contribute|grow|phd|master'?s|higher studies|lead|professional|expert|specialist|job|internship|architect|professor|faculty)\b/;

/**
 * Career goal: a "Goal:" line, "my goal is to ...", "I aspire to ...", "I want to become ...", "I'm looking to
 * move into ..."; with a short- and a long-term goal, the long-term one. Null when not stated.
 */
export function findCareerGoal(t: IntroText): Span | null {
  const labelled = headingValue(t, 'careerGoal');
  if (labelled) {
    const lead = /^to\s+/i.exec(labelled.text)?.[0].length ?? 0;
    return { text: labelled.text.slice(lead), start: labelled.start + lead, end: labelled.end };
  }
  const explicit: Array<{ span: Span; shortTerm: boolean }> = [];
  GOAL_EXPLICIT.lastIndex = 0;
  for (let m = GOAL_EXPLICIT.exec(t.lower); m; m = GOAL_EXPLICIT.exec(t.lower)) {
    const clause = captureClause(t, m.index + m[0].length, { maxWords: 16 });
    if (clause) explicit.push({ span: clause, shortTerm: /short/.test(m[1] ?? '') });
  }
  const chosen = explicit.find((goal) => !goal.shortTerm) ?? explicit[0];
  if (chosen) return chosen.span;
  GOAL_SOFT.lastIndex = 0;
  for (let m = GOAL_SOFT.exec(t.lower); m; m = GOAL_SOFT.exec(t.lower)) {
    const clause = captureClause(t, m.index + m[0].length, { maxWords: 16 });
    if (clause && CAREER_WORDS.test(clause.text.toLowerCase())) return clause;
  }
  return null;
}

/** The career goal's text, or null. */
export function extractCareerGoal(t: IntroText): string | null {
  return findCareerGoal(t)?.text ?? null;
}
