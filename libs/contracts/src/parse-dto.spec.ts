import { ErrorCode, IntroEvalError } from './error-codes.js';
import { parseDto } from './parse-dto.js';
import { StageMessage } from './stage-message.dto.js';
import { TextSubmissionDto } from './submission.dto.js';

describe('parseDto', () => {
  it('accepts a valid payload', async () => {
    const id = '3b241101-e2bb-4255-8caf-4136c566a962';
    await expect(parseDto(StageMessage, { jobId: id })).resolves.toEqual({ jobId: id });
  });

  it.each([
    ['a non-object', 'text', 'expected a JSON object'],
    ['a bad id', { jobId: 'nope' }, 'jobId must be a UUID v4'],
    ['an unknown property', { jobId: '3b241101-e2bb-4255-8caf-4136c566a962', extra: 1 }, 'property extra should not exist'],
  ])('rejects %s with INVALID_INPUT naming the problem', async (_what, input, text) => {
    const error = await parseDto(StageMessage, input).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(IntroEvalError);
    expect((error as IntroEvalError).code).toBe(ErrorCode.InvalidInput);
    expect((error as IntroEvalError).message).toContain(text);
  });

  it('checks text submissions', async () => {
    await expect(parseDto(TextSubmissionDto, { text: 'hi', studentId: 'bad id!' })).rejects.toThrow('studentId');
    await expect(parseDto(TextSubmissionDto, { text: 5 })).rejects.toThrow('text must be a string');
  });
});
