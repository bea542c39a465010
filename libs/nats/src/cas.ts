import { JetStreamApiError } from '@nats-io/jetstream';

/** JetStream's answer to a compare-and-set against a stale revision ("wrong last sequence"). */
const WRONG_LAST_SEQUENCE = 10071;

/** True when a KV create/update/delete lost its compare-and-set: the key changed (or exists) since the revision read. */
export function isCasConflict(error: unknown): boolean {
  return error instanceof JetStreamApiError && error.code === WRONG_LAST_SEQUENCE;
}
