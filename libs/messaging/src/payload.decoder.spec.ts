import { StageMessage } from '@introeval/contracts';
import { decodePayload, readJobId } from './payload.decoder.js';

const JOB = '0b7e7c4e-8a1f-4c55-9a8e-3f1f8f2b6d11';
const bytes = (text: string) => new TextEncoder().encode(text);

describe('decodePayload', () => {
  it('returns a validated instance of the payload class', async () => {
    const decoded = await decodePayload(bytes(JSON.stringify({ jobId: JOB })), StageMessage);
    expect(decoded).toEqual({ ok: true, value: expect.any(StageMessage), jobId: JOB });
  });

  it('lists every violation, unknown properties included, and still reports the job id it found', async () => {
    const decoded = await decodePayload(bytes(JSON.stringify({ jobId: 'nope', extra: 1 })), StageMessage);
    expect(decoded.ok).toBe(false);
    expect(decoded.jobId).toBe('nope');
    if (decoded.ok) return;
    expect(decoded.reason).toContain('jobId must be a UUID v4');
    expect(decoded.reason).toContain('property extra should not exist');
  });

  it('reads the job id of a payload that fails validation for other reasons', async () => {
    const decoded = await decodePayload(bytes(JSON.stringify({ jobId: JOB, extra: 1 })), StageMessage);
    expect(decoded).toEqual({ ok: false, reason: 'invalid payload: property extra should not exist', jobId: JOB });
  });

  it.each([
    ['not json', '{', 'payload is not JSON'],
    ['an array', '[1]', 'invalid payload: expected a JSON object'],
    ['null', 'null', 'invalid payload: expected a JSON object'],
    ['a string', '"x"', 'invalid payload: expected a JSON object'],
  ])('refuses %s', async (_what, body, reason) => {
    expect(await decodePayload(bytes(body), StageMessage)).toEqual({ ok: false, reason, jobId: null });
  });
});

describe('readJobId', () => {
  it('reads a string jobId and nothing else', () => {
    expect(readJobId({ jobId: JOB })).toBe(JOB);
    expect(readJobId({ jobId: 42 })).toBeNull();
    expect(readJobId({ jobId: '' })).toBeNull();
    expect(readJobId('x')).toBeNull();
  });
});
