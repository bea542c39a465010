import type { EngineProvenance, Profile } from '@introeval/contracts';
import type { ExtractInput, ExtractionEngine } from '../engine.types.js';
import { extractAchievements } from './extract-achievements.js';
import { findCareerGoal } from './extract-career-goal.js';
import { degreeMentions, extractDegree } from './extract-degree.js';
import { extractExperience } from './extract-experience.js';
import { extractHobbies } from './extract-hobbies.js';
import { extractInstitution } from './extract-institution.js';
import { extractMajor } from './extract-major.js';
import { extractName } from './extract-name.js';
import { extractProjects } from './extract-projects.js';
import { extractSkills } from './extract-skills.js';
import { extractStrengths } from './extract-strengths.js';
import { extractGraduationYear, extractYearOfStudy } from './extract-study-years.js';
import { prepareText } from './text-tools.js';

/**
 * Bump when a rule changes what is extracted: results record it, so a class is judged by one rule set.
 * Accuracy per field: BENCHMARKS.md (`npm run bench -- quality`).
 */
export const RULES_EXTRACTION_VERSION = 'rules-extract-2026.2';

/**
 * Deterministic profile extraction with regular expressions and small vocabularies, no model: the embedded
 * default and the fallback when the GPU node is down. It works on written text and on ASR output (lowercase, no
 * punctuation). It only reports what the text states: anything it cannot find stays null / [].
 */
export class RulesExtractionEngine implements ExtractionEngine {
  readonly provenance: EngineProvenance = { engine: 'rules', model: null, version: RULES_EXTRACTION_VERSION };

  extract({ text }: ExtractInput): Promise<Profile> {
    return Promise.resolve(extractProfile(text));
  }
}

/** The synchronous core of RulesExtractionEngine, for callers that need no engine object. */
export function extractProfile(text: string): Profile {
  const t = prepareText(text);
  const mentions = degreeMentions(t);
  const degree = extractDegree(t, mentions);
  const major = extractMajor(t, degree, mentions);
  const institution = extractInstitution(t, degree);
  const goal = findCareerGoal(t);
  return {
    name: extractName(t),
    degree: degree?.name ?? null,
    major: major?.text ?? null,
    institution: institution?.text ?? null,
    graduationYear: extractGraduationYear(t, degree),
    yearOfStudy: extractYearOfStudy(t, degree, major),
    skills: extractSkills(t, [major, institution, goal]),
    projects: extractProjects(t),
    experience: extractExperience(t),
    achievements: extractAchievements(t),
    hobbies: extractHobbies(t),
    careerGoal: goal?.text ?? null,
    strengths: extractStrengths(t),
  };
}
