import { describe, expect, it } from '@jest/globals';
import type { SubmissionResult } from '@introeval/contracts';
import { summary } from './render.js';

function result(fields: Partial<SubmissionResult>): SubmissionResult {
  return { id: 'job-1', status: 'completed', stage: 'rate', error: null, notice: null, feedback: [], ...fields } as SubmissionResult;
}

describe('summary', () => {
  it('shows the job\'s notice under its status', () => {
    const notice = 'Your scores were given by the fallback rules engine, because the ollama rating engine could not be reached.';
    expect(summary(result({ notice })).split('\n')).toEqual(['Submission job-1: completed', `Note: ${notice}`]);
  });

  it('shows no note when there is none (or the gateway is older and sends none)', () => {
    expect(summary(result({}))).toBe('Submission job-1: completed');
    expect(summary(result({ notice: undefined }))).toBe('Submission job-1: completed');
  });
});
