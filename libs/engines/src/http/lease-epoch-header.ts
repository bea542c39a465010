/** The header that carries the GPU lease epoch on every engine call (docs/lease.md, docs/engines.md). */
export const LEASE_EPOCH_HEADER = 'X-Lease-Epoch';

/** `X-Lease-Epoch: <epoch>` for a call made under a lease; no header for a call that is not gated on one. */
export function leaseEpochHeader(epoch: number | null | undefined): Record<string, string> {
  return epoch === null || epoch === undefined ? {} : { [LEASE_EPOCH_HEADER]: String(epoch) };
}
