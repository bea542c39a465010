/**
 * Where a GPU node's phase is in its cycle: `loading` (models of `phase` coming up) -> `granted` (workers of `phase`
 * may pull) -> `draining` (no new work, in-flight work finishes) -> `releasing` (models unloading) -> `loading` of the
 * next phase. `idle`: nothing owns the node.
 *
 * Vocabulary, not protocol: it lives here (beside the groups) so that the scheduling policy and the forecast, which
 * reason about lease states without touching a lease, need only the contracts. libs/lease re-exports it.
 */
export const LEASE_STATES = ['idle', 'loading', 'granted', 'draining', 'releasing'] as const;
export type LeaseState = (typeof LEASE_STATES)[number];
