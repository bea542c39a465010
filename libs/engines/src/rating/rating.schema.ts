/** The criteria the rating model judges; delivery is measured from the word timings by code. */
export const MODEL_JUDGED_CRITERIA = ['content', 'structure', 'clarity', 'professionalism'] as const;
export type ModelJudgedCriterion = (typeof MODEL_JUDGED_CRITERIA)[number];

/**
 * Longest justification the model may write. A bound against runaway output (a model looping inside a string),
 * not the style rule: the prompt asks for one or two sentences, since justifications go into the feedback.
 */
export const JUSTIFICATION_MAX_LENGTH = 800;

/**
 * One criterion's verdict. `justification` comes before `score`: Ollama's constrained decoding writes properties
 * in schema order, so the model states its reasons first and then scores them, instead of defending a number it
 * already wrote.
 */
const CRITERION_SCHEMA = {
  type: 'object',
  properties: {
    justification: {
      type: 'string',
      maxLength: JUSTIFICATION_MAX_LENGTH,
      description: 'one or two sentences to the student, citing what they said or left out',
    },
    score: { type: 'integer', minimum: 1, maximum: 5, description: '1..5 against the anchors' },
  },
  required: ['justification', 'score'],
  additionalProperties: false,
};

/**
 * JSON Schema of the rating answer: one `{justification, score}` object per model-judged criterion, required,
 * nothing else. Sent as Ollama's `format` and quoted in the system prompt.
 */
export const RATING_JSON_SCHEMA: object = {
  type: 'object',
  properties: Object.fromEntries(MODEL_JUDGED_CRITERIA.map((c) => [c, CRITERION_SCHEMA])),
  required: [...MODEL_JUDGED_CRITERIA],
  additionalProperties: false,
};
