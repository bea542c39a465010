import { ArrayMaxSize, IsArray, IsInt, IsString, Max, MaxLength, Min, ValidateIf } from 'class-validator';
import type { Profile } from '@introeval/contracts';
import { GRADUATION_YEAR_RANGE, PROFILE_MAX_ITEMS, PROFILE_MAX_TEXT, YEAR_OF_STUDY_RANGE } from './profile.schema.js';

/** Validates a value only when it is not null: null means "not stated"; a missing key still fails. */
const UnlessNull = (): PropertyDecorator => ValidateIf((_object, value) => value !== null);

const text = (field: string): PropertyDecorator[] => [
  UnlessNull(),
  IsString({ message: `${field} must be a string or null` }),
  MaxLength(PROFILE_MAX_TEXT, { message: `${field} must be at most ${PROFILE_MAX_TEXT} characters` }),
];

const list = (field: string): PropertyDecorator[] => [
  IsArray({ message: `${field} must be an array of strings ([] when not stated)` }),
  ArrayMaxSize(PROFILE_MAX_ITEMS, { message: `${field} must have at most ${PROFILE_MAX_ITEMS} entries` }),
  IsString({ each: true, message: `every ${field} entry must be a string` }),
  MaxLength(PROFILE_MAX_TEXT, {
    each: true,
    message: `every ${field} entry must be at most ${PROFILE_MAX_TEXT} characters`,
  }),
];

function apply(decorators: PropertyDecorator[]): PropertyDecorator {
  return (target, key) => decorators.forEach((decorate) => decorate(target, key));
}

/**
 * The extraction answer as the model must give it (PROFILE_JSON_SCHEMA): every field present, null or [] when the
 * transcript does not state it. Messages name the field and the rule, because they go back to the model verbatim
 * in the repair turn.
 */
export class ProfileAnswerDto {
  @apply(text('name'))
  name!: string | null;

  @apply(text('degree'))
  degree!: string | null;

  @apply(text('major'))
  major!: string | null;

  @apply(text('institution'))
  institution!: string | null;

  @UnlessNull()
  @IsInt({ message: 'graduationYear must be a whole number (a year such as 2026) or null' })
  @Min(GRADUATION_YEAR_RANGE.min, { message: `graduationYear must be at least ${GRADUATION_YEAR_RANGE.min}, or null` })
  @Max(GRADUATION_YEAR_RANGE.max, { message: `graduationYear must be at most ${GRADUATION_YEAR_RANGE.max}, or null` })
  graduationYear!: number | null;

  @UnlessNull()
  @IsInt({ message: 'yearOfStudy must be a whole number (1 for first year) or null' })
  @Min(YEAR_OF_STUDY_RANGE.min, { message: `yearOfStudy must be at least ${YEAR_OF_STUDY_RANGE.min}, or null` })
  @Max(YEAR_OF_STUDY_RANGE.max, { message: `yearOfStudy must be at most ${YEAR_OF_STUDY_RANGE.max}, or null` })
  yearOfStudy!: number | null;

  @apply(list('skills'))
  skills!: string[];

  @apply(list('projects'))
  projects!: string[];

  @apply(list('experience'))
  experience!: string[];

  @apply(list('achievements'))
  achievements!: string[];

  @apply(list('hobbies'))
  hobbies!: string[];

  @apply(text('careerGoal'))
  careerGoal!: string | null;

  @apply(list('strengths'))
  strengths!: string[];
}

/**
 * A valid answer as a Profile: text trimmed (blank becomes null), list entries trimmed, blanks and repeats
 * (ignoring case) dropped, first spelling kept.
 */
export function profileFromAnswer(answer: ProfileAnswerDto): Profile {
  return {
    name: cleanText(answer.name),
    degree: cleanText(answer.degree),
    major: cleanText(answer.major),
    institution: cleanText(answer.institution),
    graduationYear: answer.graduationYear,
    yearOfStudy: answer.yearOfStudy,
    skills: cleanList(answer.skills),
    projects: cleanList(answer.projects),
    experience: cleanList(answer.experience),
    achievements: cleanList(answer.achievements),
    hobbies: cleanList(answer.hobbies),
    careerGoal: cleanText(answer.careerGoal),
    strengths: cleanList(answer.strengths),
  };
}

function cleanText(value: string | null): string | null {
  const trimmed = value?.trim() ?? '';
  return trimmed.length > 0 ? trimmed : null;
}

function cleanList(values: string[]): string[] {
  const seen = new Set<string>();
  const kept: string[] = [];
  for (const value of values) {
    const trimmed = value.trim();
    const key = trimmed.toLowerCase();
    if (trimmed.length === 0 || seen.has(key)) continue;
    seen.add(key);
    kept.push(trimmed);
  }
  return kept;
}
