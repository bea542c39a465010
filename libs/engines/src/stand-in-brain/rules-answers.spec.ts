import { describe, expect, it } from '@jest/globals';
import { STRONG_INTRO } from '@introeval/testing';
import { extractionUserMessage, EXTRACTION_SYSTEM_PROMPT } from '../extraction/extraction-prompt.js';
import { PROFILE_JSON_SCHEMA } from '../extraction/profile.schema.js';
import { rulesChatAnswer, transcriptFromMessages } from './rules-answers.js';

const criterion = { type: 'object', properties: { score: { type: 'integer' }, justification: { type: 'string' } } };
const RATING_SCHEMA = {
  type: 'object',
  properties: { content: criterion, structure: criterion, clarity: criterion, feedback: { type: 'array' } },
  required: ['content', 'structure', 'clarity'],
};
const user = (content: string) => ({ role: 'user', content });

describe('rules brain chat answers', () => {
  it('answers an extraction schema with the rules profile, limited to the schema properties', async () => {
    const messages = [{ role: 'system', content: EXTRACTION_SYSTEM_PROMPT }, user(extractionUserMessage(STRONG_INTRO.text))];
    const answer = JSON.parse(await rulesChatAnswer({ model: 'mistral', messages, format: PROFILE_JSON_SCHEMA }));
    expect(Object.keys(answer).sort()).toEqual(Object.keys((PROFILE_JSON_SCHEMA as { properties: object }).properties).sort());
    expect(answer.name).toBe(STRONG_INTRO.facts.name);
    expect(answer.skills).toEqual(expect.arrayContaining(['Python']));

    const narrow = { type: 'object', properties: { name: {}, skills: {} } };
    expect(Object.keys(JSON.parse(await rulesChatAnswer({ model: 'm', messages, format: narrow })))).toEqual(['name', 'skills']);
  });

  it('answers a rating schema with a 1..5 score and a one-line justification per requested criterion', async () => {
    const answer = JSON.parse(
      await rulesChatAnswer({ model: 'llama3', messages: [user(`Rate this. <transcript>${STRONG_INTRO.text}</transcript>`)], format: RATING_SCHEMA }),
    );
    expect(Object.keys(answer).sort()).toEqual(['clarity', 'content', 'feedback', 'structure']);
    for (const key of ['content', 'structure', 'clarity']) {
      expect(answer[key].score).toBeGreaterThanOrEqual(1);
      expect(answer[key].score).toBeLessThanOrEqual(5);
      expect(answer[key].justification).toMatch(/^[^\n]+$/);
    }
    expect(Array.isArray(answer.feedback)).toBe(true);
  });

  it('finds the transcript in a repair turn, whose last user message is only the complaint', () => {
    const messages = [user('<transcript>\nhello there\n</transcript>'), { role: 'assistant', content: '{' }, user('Your answer is not valid')];
    expect(transcriptFromMessages(messages)).toBe('hello there');
  });

  it('refuses an unknown schema, plain "json", an unknown criterion and a missing transcript, saying why', async () => {
    const messages = [user('<transcript>hi</transcript>')];
    await expect(rulesChatAnswer({ model: 'm', messages, format: { type: 'object', properties: { mood: {} } } })).rejects.toThrow(
      /unknown schema \(properties mood\)/,
    );
    await expect(rulesChatAnswer({ model: 'm', messages, format: 'json' })).rejects.toThrow(/JSON Schema object/);
    await expect(
      rulesChatAnswer({ model: 'm', messages, format: { type: 'object', properties: { charisma: criterion } } }),
    ).rejects.toThrow(/no rule scores criterion "charisma"/);
    await expect(rulesChatAnswer({ model: 'm', messages: [user('no tags')], format: PROFILE_JSON_SCHEMA })).rejects.toThrow(
      /<transcript>/,
    );
  });
});
