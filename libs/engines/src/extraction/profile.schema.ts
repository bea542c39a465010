import type { Profile } from '@introeval/contracts';

/** Longest text value (a name, a project phrase) an answer may carry; longer means the model copied a paragraph. */
export const PROFILE_MAX_TEXT = 200;
/** Most entries one list may hold. */
export const PROFILE_MAX_ITEMS = 30;
/** Plausible graduation years: anything else is a misheard number, better left null. */
export const GRADUATION_YEAR_RANGE = { min: 1950, max: 2100 } as const;
/** Year of study within a programme (a PhD can run long). */
export const YEAR_OF_STUDY_RANGE = { min: 1, max: 10 } as const;

type FieldKind = 'text' | 'integer' | 'list';

/**
 * What each profile field means, in the order the model should fill them. It becomes each property's
 * `description` in the JSON Schema: constrained decoding ignores descriptions, but the system prompt quotes the
 * schema, so the model reads every field's meaning next to its type, from one source.
 */
export const PROFILE_FIELDS: readonly { name: keyof Profile; kind: FieldKind; meaning: string }[] = [
  { name: 'name', kind: 'text', meaning: "the student's own full name, as spoken" },
  {
    name: 'degree',
    kind: 'text',
    meaning: 'the degree programme they are in now (or finished last), e.g. "B.Tech", "M.Sc", "PhD"',
  },
  { name: 'major', kind: 'text', meaning: 'the subject of that degree, e.g. "computer science"' },
  { name: 'institution', kind: 'text', meaning: 'the university or college of that degree' },
  { name: 'graduationYear', kind: 'integer', meaning: 'the year they graduate or graduated, e.g. 2026' },
  { name: 'yearOfStudy', kind: 'integer', meaning: 'which year of the programme they are in now: 1 for first year' },
  { name: 'skills', kind: 'list', meaning: 'technical skills, tools and programming languages, each a short name' },
  { name: 'projects', kind: 'list', meaning: 'projects they built or worked on, one short phrase each' },
  { name: 'experience', kind: 'list', meaning: 'internships, jobs and research positions, one short phrase each' },
  { name: 'achievements', kind: 'list', meaning: 'awards, competition results, publications, scholarships' },
  { name: 'hobbies', kind: 'list', meaning: 'interests outside study and work' },
  { name: 'careerGoal', kind: 'text', meaning: 'what they want to do or become, one phrase' },
  { name: 'strengths', kind: 'list', meaning: 'personal qualities they claim, e.g. "teamwork", "quick learner"' },
];

function propertySchema(kind: FieldKind, meaning: string): object {
  switch (kind) {
    case 'text':
      return { type: ['string', 'null'], maxLength: PROFILE_MAX_TEXT, description: meaning };
    case 'integer':
      return { type: ['integer', 'null'], description: meaning };
    case 'list':
      return {
        type: 'array',
        items: { type: 'string', maxLength: PROFILE_MAX_TEXT },
        maxItems: PROFILE_MAX_ITEMS,
        description: meaning,
      };
  }
}

/**
 * JSON Schema of the extraction answer: every profile field, required, nothing else. Sent as Ollama's `format`
 * (constrained decoding) and quoted in the system prompt. Not stated means null (text, numbers) or [] (lists).
 */
export const PROFILE_JSON_SCHEMA: object = {
  type: 'object',
  properties: Object.fromEntries(PROFILE_FIELDS.map((f) => [f.name, propertySchema(f.kind, f.meaning)])),
  required: PROFILE_FIELDS.map((f) => f.name),
  additionalProperties: false,
};
