import { plainToInstance } from 'class-transformer';
import { validate, type ValidationError } from 'class-validator';
import type { PayloadClass } from './jetstream.options.js';

export type DecodedPayload =
  | { ok: true; value: object; jobId: string | null }
  | { ok: false; reason: string; jobId: string | null };

/** Parses a message body as JSON and validates it into `payloadClass`; never throws. */
export async function decodePayload(data: Uint8Array, payloadClass: PayloadClass): Promise<DecodedPayload> {
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder().decode(data));
  } catch {
    return { ok: false, reason: 'payload is not JSON', jobId: null };
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    return { ok: false, reason: 'payload must be a JSON object', jobId: null };
  }
  const jobId = readJobId(json);
  const value = plainToInstance(payloadClass, json);
  // Unknown properties are refused, not stripped: a producer on a newer contract must be noticed, not half-served.
  const errors = await validate(value, { whitelist: true, forbidNonWhitelisted: true });
  if (errors.length > 0) return { ok: false, reason: `invalid payload: ${describe(errors).join('; ')}`, jobId };
  return { ok: true, value, jobId };
}

/** The job id of a payload that has one, valid or not, so a rejected message can still fail its job. */
export function readJobId(json: unknown): string | null {
  if (typeof json !== 'object' || json === null) return null;
  const jobId = (json as { jobId?: unknown }).jobId;
  return typeof jobId === 'string' && jobId.length > 0 && jobId.length <= 200 ? jobId : null;
}

function describe(errors: ValidationError[], path = ''): string[] {
  return errors.flatMap((error) => {
    const at = path ? `${path}.${error.property}` : error.property;
    const own = Object.values(error.constraints ?? {});
    return [...own.map((text) => (text.includes(error.property) ? text : `${at}: ${text}`)), ...describe(error.children ?? [], at)];
  });
}
