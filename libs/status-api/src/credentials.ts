import { Metadata } from '@grpc/grpc-js';

/** Metadata keys of the status API's credentials (gRPC metadata keys are lower case). */
export const MetadataKeys = {
  authorization: 'authorization',
  receipt: 'x-receipt',
} as const;

/** What a call carries to open a job or the admin views. */
export interface StatusCredentials {
  receipt?: string | null;
  adminToken?: string | null;
}

/** Metadata carrying `credentials`: the admin token as a bearer token, a student's receipt in `x-receipt`. */
export function credentialsMetadata(credentials: StatusCredentials): Metadata {
  const metadata = new Metadata();
  if (credentials.adminToken) metadata.set(MetadataKeys.authorization, `Bearer ${credentials.adminToken}`);
  if (credentials.receipt) metadata.set(MetadataKeys.receipt, credentials.receipt);
  return metadata;
}

/** The first string value of `key` in `metadata`, or null. */
export function metadataValue(metadata: Metadata | undefined, key: string): string | null {
  const value = metadata?.get(key)[0];
  return typeof value === 'string' && value.length > 0 ? value : null;
}
