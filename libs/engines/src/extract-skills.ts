import { SKILLS } from './skills-vocabulary.js';
import type { IntroText, Span } from './text-tools.js';

/** "not", "never", "don't know", ... within the three words before a skill: "I don't know Java yet" is no skill. */
const NEGATION = /\b(?:not|never|no|don't|dont|haven't|havent|cannot|can't|cant|without|lack)\b/;

/**
 * Skills from the vocabulary, in the order they are first mentioned. Overlapping matches keep the longest
 * ("my sql" is MySQL, not also SQL); matches inside `exclude` spans (the major, the institution) are ignored, so
 * "a degree in data science" does not list Data Science as a skill unless it is named again elsewhere.
 */
export function extractSkills(t: IntroText, exclude: ReadonlyArray<Span | null>): string[] {
  const hits: Array<{ name: string; start: number; end: number }> = [];
  for (const entry of SKILLS) {
    entry.pattern.lastIndex = 0;
    for (let m = entry.pattern.exec(t.lower); m; m = entry.pattern.exec(t.lower)) {
      hits.push({ name: entry.name, start: m.index, end: m.index + m[0].length });
    }
  }
  hits.sort((a, b) => a.start - b.start || b.end - b.start - (a.end - a.start));
  const seen = new Set<string>();
  const skills: string[] = [];
  let coveredTo = -1;
  for (const hit of hits) {
    if (hit.start < coveredTo) continue;
    coveredTo = hit.end;
    if (exclude.some((span) => span && hit.start < span.end && hit.end > span.start)) continue;
    const before = t.lower.slice(0, hit.start).split(/\s+/).slice(-4).join(' ');
    if (NEGATION.test(before)) continue;
    if (seen.has(hit.name)) continue;
    seen.add(hit.name);
    skills.push(hit.name);
  }
  return skills;
}
