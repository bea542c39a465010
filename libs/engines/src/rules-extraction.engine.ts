import type { EngineProvenance, Profile } from '@introeval/contracts';
import type { ExtractInput, ExtractionEngine } from './engine.types.js';
import { extractAchievements, extractExperience, extractProjects } from './extract-activities.js';
import { extractCareerGoal, extractHobbies, extractStrengths } from './extract-aspirations.js';
import { extractDegree, extractGraduationYear, extractMajor, extractYearOfStudy } from './extract-education.js';
import { extractInstitution } from './extract-institution.js';
import { extractName } from './extract-name.js';
import { extractSkills } from './extract-skills.js';
import { prepareText } from './text-tools.js';

/** Bump when a rule changes what is extracted: results record it, so a class is judged by one rule set. */
export const RULES_EXTRACTION_VERSION = 'rules-extract-2026.1';

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
  const degree = extractDegree(t);
  const major = extractMajor(t, degree);
  const institution = extractInstitution(t, degree);
  return {
    name: extractName(t),
    degree: degree?.name ?? null,
    major: major?.text ?? null,
    institution: institution?.text ?? null,
    graduationYear: extractGraduationYear(t),
    yearOfStudy: extractYearOfStudy(t, degree),
    skills: extractSkills(t, [major, institution]),
    projects: extractProjects(t),
    experience: extractExperience(t),
    achievements: extractAchievements(t),
    hobbies: extractHobbies(t),
    careerGoal: extractCareerGoal(t),
    strengths: extractStrengths(t),
  };
}
