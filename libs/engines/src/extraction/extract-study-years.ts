import type { DegreeMatch } from './extract-degree.js';
import type { Span } from './text-tools.js';
import { normalizeSpokenYears } from './spoken-numbers.js';
import type { IntroText } from './text-tools.js';

const YEAR = String.raw`((?:19|20)\d\d)\b`;
/** Up to three words between a graduation word and its year: "graduating in May 2025", "finish in September". */
const GAP = String.raw`(?:[\s:,]+[a-z,]+){0,3}?[\s:,]+`;

/** Forms that look ahead (or name the event): they date the degree being studied. */
const UPCOMING = new RegExp(
  String.raw`\b(?:graduating|graduate|graduation|will graduate|finish(?:ing)?|complet(?:e|ing) (?:my|the) (?:degree|course|studies|graduation|program\w*|b\.?\s?tech|engineering|masters?|m\.?\s?tech|mba|mca|phd)|pass(?:ing)? out|passout)\b${GAP}${YEAR}`,
);
/** Past forms: for someone still studying they date an earlier degree ("graduated in 2022, then ..."). */
const FINISHED = new RegExp(
  String.raw`\b(?:graduated|finished|completed (?:my|the) (?:degree|course|studies|graduation|program\w*|b\.?\s?tech|engineering)|passed out)\b${GAP}${YEAR}`,
);
const COHORT = [
  new RegExp(String.raw`\b(?:class|batch) of\s+${YEAR}`),
  new RegExp(String.raw`\b(?:19|20)\d\d\s*(?:-|to)\s*${YEAR}\s+batch\b`),
  new RegExp(String.raw`\b${YEAR.replace(/\\b$/, '')}\s+(?:batch|graduate|pass ?out)\b`),
];

/**
 * Graduation year of `degree`, in digits or words: "graduating in 2025", "class of 2024", "expected graduation:
 * 2026", "graduate in twenty twenty five"; for a finished degree also the year stated with it ("I did my B.Tech
 * in ECE from NIT Patna in 2022"). While the degree is being studied, a past "graduated in 2022" belongs to an
 * earlier degree and is not taken.
 */
export function extractGraduationYear(t: IntroText, degree: DegreeMatch | null = null): number | null {
  const text = normalizeSpokenYears(t.lower);
  const studying = degree?.tense === 'current';
  const patterns = [UPCOMING, ...COHORT, ...(studying ? [] : [FINISHED])];
  for (const pattern of patterns) {
    const year = plausible(pattern.exec(text)?.[1]);
    if (year) return year;
  }
  if (degree && (degree.tense === 'past' || degree.tense === 'unknown')) return yearWithDegree(t, degree.span);
  return null;
}

/** "in 2022" later in the degree's own sentence, before "joined/started/since" could make it a start date. */
function yearWithDegree(t: IntroText, span: Span): number | null {
  const rest = t.lower.slice(span.end);
  const sentence = rest.slice(0, Math.min(160, endOfSentence(rest)));
  // The spoken form has a different length, so the sentence is cut first and converted after.
  const m = new RegExp(String.raw`^(?:(?!\b(?:joined|started|since|from (?:19|20)\d\d)\b).)*?\bin\s+${YEAR}`).exec(normalizeSpokenYears(sentence));
  return plausible(m?.[1]);
}

function endOfSentence(text: string): number {
  const m = /[.!?;](?=\s|$)|\n/.exec(text.replace(/\b([a-z])\./g, '$1_'));
  return m ? m.index : text.length;
}

function plausible(digits: string | undefined): number | null {
  const value = Number(digits);
  return value >= 1980 && value <= 2050 ? value : null;
}

const ORDINALS: Record<string, number | 'final'> = {
  first: 1, '1st': 1, second: 2, '2nd': 2, third: 3, '3rd': 3, fourth: 4, '4th': 4, fifth: 5, '5th': 5,
  sixth: 6, '6th': 6, seventh: 7, '7th': 7, eighth: 8, '8th': 8, final: 'final',
};
const US_YEARS: Record<string, number> = { freshman: 1, sophomore: 2, junior: 3, senior: 4 };
const ORD = String.raw`(first|second|third|fourth|fifth|sixth|seventh|eighth|1st|2nd|3rd|4th|5th|6th|7th|8th|final|pre[- ]final)`;

/** Ways to state the current year or semester; group 1 is the ordinal, group 2 (when present) "semester". */
const STANDING = [
  new RegExp(String.raw`\b${ORD}[\s-](year|semester)\s+(?:[a-z.()&]+\s+){0,4}?(?:student|undergrad\w*|engineering student|candidate|scholar)\b`),
  new RegExp(String.raw`\b(?:i am|i'm|im|currently|presently|now)\s+(?:in\s+)?(?:my\s+|the\s+)?(?:a\s+|an\s+)?${ORD}[\s-](year|semester)\b`),
  new RegExp(String.raw`\b${ORD}[\s-](year|semester)\s+of\s+(?:my\s+|the\s+|a\s+|an\s+)?(?:degree|b\.?\s?tech|engineering|bachelor|master|course|program|graduation|college|study|studies|undergrad\w*|b\.?\s?e|b\.?\s?sc|m\.?\s?tech|mba|mca|ma|phd|m\.?\s?sc|bca|bba)`),
  // "..., second year." / "in my second semester." / "in my third year now": the standing itself, not a story.
  new RegExp(String.raw`(?:^|[,;:\n]\s*)${ORD}[\s-](year|semester)(?=\s*(?:[.,;\n]|$))`),
  new RegExp(String.raw`\bin (?:my|the) ${ORD}[\s-](year|semester)(?=\s*(?:now\b|[.,;\n]|$))`),
];

/**
 * Year of study when the speaker states it as their current standing: "a third year student", "I am in my second
 * year", "final year of B.Tech", "B.Tech, 3rd year", "in my second semester" (year 1). "In my third year I built
 * ..." looks back and is not taken. "Final year" becomes a number only where the programme's length is clear.
 */
export function extractYearOfStudy(t: IntroText, degree: DegreeMatch | null, major: Span | null = null): number | null {
  for (const pattern of STANDING) {
    const m = pattern.exec(t.lower);
    if (!m) continue;
    const years = degree?.years ?? (degree === null && major && /engineering\)?$/i.test(major.text) ? 4 : null);
    if (m[1].startsWith('pre')) return years ? years - 1 : null;
    const value = ORDINALS[m[1]];
    if (value === 'final') return years;
    if (typeof value === 'number') return m[2] === 'semester' ? Math.ceil(value / 2) : value;
  }
  const us =
    /\b(?:i am|i'm|im) (?:a |currently a )?(freshman|sophomore|junior|senior)\b(?! (?:developer|engineer|analyst|designer|associate|manager))/.exec(
      t.lower,
    );
  return us ? US_YEARS[us[1]] : null;
}
