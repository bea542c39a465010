import type { Metadata } from '@grpc/grpc-js';
import { ErrorCode, IntroEvalError } from '@introeval/contracts';
import { MetadataKeys, metadataValue } from '@introeval/status-api';
import { bearerToken, type JobCredentials } from '@introeval/storage';

/** The credentials a call carries in its metadata: `authorization: Bearer <token>` and `x-receipt`. */
export function credentialsOf(metadata: Metadata | undefined): JobCredentials {
  return {
    receipt: metadataValue(metadata, MetadataKeys.receipt),
    bearer: bearerToken(metadataValue(metadata, MetadataKeys.authorization)),
  };
}

const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i;

/** A job id as the gateway hands them out (a v4 UUID), or INVALID_ARGUMENT naming what came instead. */
export function validJobId(value: unknown): string {
  if (typeof value === 'string' && UUID_V4.test(value)) return value.toLowerCase();
  throw IntroEvalError.permanent(ErrorCode.InvalidInput, `job_id must be a job id (a v4 UUID), got ${JSON.stringify(value ?? '')}`);
}
