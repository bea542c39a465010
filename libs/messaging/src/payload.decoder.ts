import { ErrorCode, IntroEvalError, parseDto } from '@introeval/contracts';
import type { PayloadClass } from './jetstream.options.js';

export type DecodedPayload =
  | { ok: true; value: object; jobId: string | null }
  | { ok: false; reason: string; jobId: string | null };

/**
 * Parses a message body as JSON and validates it into `payloadClass` with the contracts' `parseDto` (unknown
 * properties are refused, not stripped: a producer on a newer contract must be noticed, not half-served). A payload
 * that does not fit comes back as `ok: false` with every problem named; only an unexpected validator crash throws.
 */
export async function decodePayload(data: Uint8Array, payloadClass: PayloadClass): Promise<DecodedPayload> {
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder().decode(data));
  } catch {
    return { ok: false, reason: 'payload is not JSON', jobId: null };
  }
  const jobId = readJobId(json);
  try {
    return { ok: true, value: await parseDto(payloadClass, json), jobId };
  } catch (error) {
    if (error instanceof IntroEvalError && error.code === ErrorCode.InvalidInput) {
      return { ok: false, reason: `invalid payload: ${error.message}`, jobId };
    }
    throw error;
  }
}

/** The job id of a payload that has one, valid or not, so a rejected message can still fail its job. */
export function readJobId(json: unknown): string | null {
  if (typeof json !== 'object' || json === null) return null;
  const jobId = (json as { jobId?: unknown }).jobId;
  return typeof jobId === 'string' && jobId.length > 0 && jobId.length <= 200 ? jobId : null;
}
