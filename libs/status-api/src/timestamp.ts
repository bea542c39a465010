import type { Timestamp } from './generated/google/protobuf/timestamp.js';

/**
 * google.protobuf.Timestamp from milliseconds since the epoch. Sent as `{seconds, nanos}`: ts-proto's useDate breaks
 * under ESM (STACK.md).
 */
export function toTimestamp(ms: number): Timestamp {
  const seconds = Math.floor(ms / 1000);
  return { seconds, nanos: Math.round((ms - seconds * 1000) * 1e6) };
}

/** Milliseconds since the epoch from a Timestamp; null for an absent one. */
export function fromTimestamp(timestamp: Timestamp | undefined | null): number | null {
  if (!timestamp) return null;
  return Number(timestamp.seconds) * 1000 + Math.round(timestamp.nanos / 1e6);
}
