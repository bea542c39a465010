import { V1MicroTime, type V1Lease } from '@kubernetes/client-node';

/** The GPU phase lease of one node, as the scheduler holds it in KV (DESIGN.md, "The GPU phase lease"). */
export interface LeaseSnapshot {
  node: string;
  /** The residency groups that own the node now; empty while idle. */
  phase: readonly string[];
  /** loading | granted | draining | releasing | idle */
  state: string;
  /** Rises on every grant: the fencing token. */
  epoch: number;
  /** The scheduler instance that wrote it. */
  holder: string;
  /** When the current state began, ISO 8601. */
  since: string;
  /** How long the lease stays valid without renewal. */
  ttlSec: number;
}

/** Label and annotation keys; `kubectl get lease -L introeval.io/phase -L introeval.io/state` shows the labels. */
export const LEASE_KEYS = {
  node: 'introeval.io/node',
  phase: 'introeval.io/phase',
  state: 'introeval.io/state',
  epoch: 'introeval.io/epoch',
  since: 'introeval.io/since',
} as const;

const PART_OF = { 'app.kubernetes.io/part-of': 'introeval', 'app.kubernetes.io/component': 'gpu-phase-lease' };

/** leaseTransitions is an int32 in the API; the exact epoch is in the annotation either way. */
const INT32_MAX = 2_147_483_647;

/**
 * The Lease object that mirrors `lease`, written over `current` (when there is one) so that labels, annotations
 * and fields someone else set survive. `spec.renewTime` is `now`; both times are written as V1MicroTime, the
 * microsecond format the API server requires of Lease times (a plain Date is refused).
 */
export function leaseObject(namespace: string, name: string, lease: LeaseSnapshot, now: Date, current?: V1Lease): V1Lease {
  const since = new Date(lease.since);
  if (Number.isNaN(since.getTime())) throw new Error(`lease "since" is not a date: ${lease.since}`);
  const phase = lease.phase.join(',');
  const { managedFields: _managedFields, ...currentMetadata } = current?.metadata ?? {};
  return {
    apiVersion: 'coordination.k8s.io/v1',
    kind: 'Lease',
    metadata: {
      ...currentMetadata,
      name,
      namespace,
      labels: {
        ...current?.metadata?.labels,
        ...PART_OF,
        [LEASE_KEYS.node]: labelValue(lease.node),
        [LEASE_KEYS.phase]: labelValue(lease.phase.join('.')) || 'none',
        [LEASE_KEYS.state]: labelValue(lease.state),
        [LEASE_KEYS.epoch]: String(lease.epoch),
      },
      annotations: {
        ...current?.metadata?.annotations,
        [LEASE_KEYS.node]: lease.node,
        [LEASE_KEYS.phase]: phase,
        [LEASE_KEYS.state]: lease.state,
        [LEASE_KEYS.epoch]: String(lease.epoch),
        [LEASE_KEYS.since]: lease.since,
      },
    },
    spec: {
      ...current?.spec,
      holderIdentity: lease.holder,
      leaseDurationSeconds: lease.ttlSec,
      acquireTime: new V1MicroTime(since.getTime()),
      renewTime: new V1MicroTime(now.getTime()),
      leaseTransitions: Math.min(lease.epoch, INT32_MAX),
    },
  };
}

/**
 * A string as a valid label value: at most 63 of [A-Za-z0-9._-], starting and ending alphanumeric. The exact
 * value is kept in the annotation of the same key.
 */
export function labelValue(text: string): string {
  return text
    .replace(/[^A-Za-z0-9._-]/g, '-')
    .slice(0, 63)
    .replace(/^[^A-Za-z0-9]+|[^A-Za-z0-9]+$/g, '');
}
