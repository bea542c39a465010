// What the rules brain answers to a chat: the adapters' prompt convention in, a schema-shaped JSON text out.
import type { Profile } from '@introeval/contracts';
import { extractProfile } from '../extraction/rules-extraction.engine.js';
import { computeDeliveryMetrics } from '../rating/delivery-metrics.js';
import { RulesRatingEngine } from '../rating/rules-rating.engine.js';
import type { StandInChatRequest } from './stand-in-brain.types.js';

const TRANSCRIPT_TAG = /<\s*transcript\s*>([\s\S]*?)<\s*\/\s*transcript\s*>/i;

/**
 * The transcript an adapter put between <transcript> and </transcript>: in the last user message that has one
 * (a repair turn's last user message holds only the complaint about the previous answer).
 */
export function transcriptFromMessages(messages: StandInChatRequest['messages']): string {
  for (const message of [...messages].reverse()) {
    if (message.role !== 'user') continue;
    const match = TRANSCRIPT_TAG.exec(message.content);
    if (match) return match[1].trim();
  }
  throw new Error('rules brain: no user message holds the transcript between <transcript> and </transcript>');
}

interface ObjectSchema {
  properties: Record<string, unknown>;
  required?: string[];
}

function objectSchema(value: unknown): ObjectSchema | null {
  if (typeof value !== 'object' || value === null) return null;
  const properties = (value as { properties?: unknown }).properties;
  if (typeof properties !== 'object' || properties === null || Array.isArray(properties)) return null;
  const required = (value as { required?: unknown }).required;
  return { properties: properties as Record<string, unknown>, required: Array.isArray(required) ? (required as string[]) : [] };
}

/** A rating criterion's schema: an object with `score` and `justification`. */
function isCriterion(value: unknown): boolean {
  const schema = objectSchema(value);
  return schema !== null && 'score' in schema.properties && 'justification' in schema.properties;
}

/**
 * The assistant content the rules brain gives: a profile for an extraction schema (it has `skills`), criterion
 * scores for a rating schema (properties that are `{score, justification}` objects). Constrained decoding only
 * ever emits the schema's properties, so neither answer carries more. Anything else is refused.
 */
export async function rulesChatAnswer(request: StandInChatRequest): Promise<string> {
  const schema = objectSchema(request.format);
  if (!schema) {
    throw new Error(`rules brain: format must be a JSON Schema object with properties, got ${JSON.stringify(request.format)}`);
  }
  const text = transcriptFromMessages(request.messages);
  if ('skills' in schema.properties) return JSON.stringify(profileAnswer(schema, extractProfile(text)));
  if (Object.values(schema.properties).some(isCriterion)) return JSON.stringify(await ratingAnswer(schema, text));
  throw new Error(
    `rules brain: unknown schema (properties ${Object.keys(schema.properties).join(', ')}); expected an extraction ` +
      'schema with "skills" or a rating schema whose properties are {score, justification} objects',
  );
}

function profileAnswer(schema: ObjectSchema, profile: Profile): Record<string, unknown> {
  const source = profile as unknown as Record<string, unknown>;
  return Object.fromEntries(Object.keys(schema.properties).map((key) => [key, source[key] ?? null]));
}

async function ratingAnswer(schema: ObjectSchema, text: string): Promise<Record<string, unknown>> {
  const rating = await rulesRating(text);
  const answer: Record<string, unknown> = {};
  for (const [key, property] of Object.entries(schema.properties)) {
    if (isCriterion(property)) {
      const score = rating.scores[key];
      if (score === undefined) {
        throw new Error(`rules brain: no rule scores criterion "${key}" (known: ${Object.keys(rating.scores).join(', ')})`);
      }
      answer[key] = { score, justification: justification(key, score, rating.feedback) };
    } else if (key === 'feedback') {
      answer[key] = rating.feedback;
    } else if (schema.required?.includes(key)) {
      throw new Error(`rules brain: cannot fill required property "${key}" of the rating schema`);
    }
  }
  return answer;
}

/**
 * The ONE place that knows the shape of the rules rating (rating/), which may still change. It goes
 * through the RatingEngine interface (the most stable contract there) and reads back criterion scores 1..5 by name
 * (every numeric score but `total`) and the feedback lines.
 */
export async function rulesRating(text: string): Promise<{ scores: Record<string, number>; feedback: string[] }> {
  const profile = extractProfile(text);
  const transcript = { text, words: [], engine: 'rules', model: null, durationSec: null };
  const metrics = computeDeliveryMetrics(transcript, profile);
  const { scores, feedback } = await new RulesRatingEngine().rate({ transcript, profile, metrics });
  const criteria = Object.entries(scores as unknown as Record<string, unknown>).filter(
    (entry): entry is [string, number] => entry[0] !== 'total' && typeof entry[1] === 'number',
  );
  return { scores: Object.fromEntries(criteria), feedback };
}

/** One line: the rubric's own advice for this criterion when it gave some, else a plain statement of the score. */
function justification(criterion: string, score: number, feedback: string[]): string {
  const advice = feedback.find((line) => line.toLowerCase().startsWith(`${criterion.toLowerCase()} (`));
  return advice ?? `Rated ${score}/5 on ${criterion} by the rules rubric.`;
}
