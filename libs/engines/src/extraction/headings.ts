import { splitList, trimSpan, type IntroText, type Span } from './text-tools.js';

/** The profile sections a bullet-like answer labels ("Skills: ...", "Internship: ..."). */
export type HeadingField = 'skills' | 'projects' | 'experience' | 'achievements' | 'hobbies' | 'strengths' | 'careerGoal' | 'institution';

const LABELS: ReadonlyArray<[RegExp, HeadingField]> = [
  [/^(?:(?:technical|key|core|main) )?skills?(?: set)?$|^tools?$|^technologies$|^tech stack$/, 'skills'],
  [/^(?:(?:academic|major|key|personal) )?projects?$/, 'projects'],
  [/^(?:work )?experience$|^internships?$|^work$|^employment$/, 'experience'],
  [/^achievements?$|^awards?$|^accomplishments?$|^certifications?$|^honou?rs$/, 'achievements'],
  [/^hobbies$|^hobby$|^interests$|^hobbies and interests$/, 'hobbies'],
  [/^strengths?$/, 'strengths'],
  [/^(?:career )?(?:goal|objective|aim|ambition)s?$/, 'careerGoal'],
  [/^college$|^university$|^institute$|^institution$|^school$/, 'institution'],
];

/**
 * The value of a "Label: value" line for `field`, or null: students sometimes paste a résumé-like list, where a
 * line's label says what its items are and no sentence gives them away.
 */
export function headingValue(t: IntroText, field: HeadingField): Span | null {
  const line = /(?:^|\n)[ \t]*(?:[-*\u2022][ \t]*)?([a-z][a-z ]{1,30}?)[ \t]*:[ \t]*([^\n]+)/g;
  for (let m = line.exec(t.lower); m; m = line.exec(t.lower)) {
    const label = m[1];
    if (!LABELS.some(([pattern, f]) => f === field && pattern.test(label))) continue;
    const start = m.index + m[0].length - m[2].length;
    return trimSpan(t, start, start + m[2].length);
  }
  return null;
}

/** The items of a labelled line: split at ";" where the line has one, else also at commas and "and". */
export function headingItems(t: IntroText, field: HeadingField): string[] {
  const value = headingValue(t, field);
  if (!value) return [];
  if (value.text.includes(';')) return value.text.split(';').map((item) => item.trim()).filter(Boolean);
  return field === 'skills' || field === 'hobbies' || field === 'strengths' ? splitList(value.text) : [value.text];
}
