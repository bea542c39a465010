import { randomUUID } from 'node:crypto';
import type { KubeCluster } from './kube-cluster.js';
import { alreadyExists, badRequest, conflict, invalid, kubeTime, MICRO_TIME, notFound } from './kube-objects.js';

interface Reply {
  status: number;
  body: unknown;
}

interface LeaseBody {
  kind?: string;
  apiVersion?: string;
  metadata?: Record<string, unknown> & {
    name?: string;
    namespace?: string;
    resourceVersion?: string;
    labels?: Record<string, unknown>;
  };
  spec?: Record<string, unknown>;
}

const GROUP = 'coordination.k8s.io';
/** A label value: at most 63 characters, alphanumerics with `-_.` inside. */
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

/**
 * coordination.k8s.io/v1 Leases as the API server keeps them: create refuses an existing name (409
 * AlreadyExists), replace refuses a stale resourceVersion (409 Conflict) and a missing Lease (404); times in
 * spec must be MicroTime and label values valid, or the write is refused as the real server would.
 */
export class LeaseStore {
  constructor(private readonly cluster: KubeCluster) {}

  handle(method: string, name: string | undefined, body: unknown): Reply {
    if (name === undefined) {
      if (method === 'GET') return { status: 200, body: { kind: 'LeaseList', apiVersion: `${GROUP}/v1`, metadata: { resourceVersion: this.cluster.nextVersion() }, items: this.all() } };
      if (method === 'POST') return this.create(body as LeaseBody | undefined);
    } else {
      if (method === 'GET') {
        const lease = this.cluster.leases.get(name);
        return lease ? { status: 200, body: lease } : { status: 404, body: notFound('leases', GROUP, name) };
      }
      if (method === 'PUT') return this.replace(name, body as LeaseBody | undefined);
      if (method === 'DELETE') {
        if (!this.cluster.leases.has(name)) return { status: 404, body: notFound('leases', GROUP, name) };
        this.delete(name);
        return { status: 200, body: { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', details: { name, group: GROUP, kind: 'leases' } } };
      }
    }
    return { status: 405, body: badRequest(`method ${method} is not supported on leases by the stand-in`) };
  }

  all(): Record<string, unknown>[] {
    return [...this.cluster.leases.values()].map((lease) => structuredClone(lease));
  }

  update(name: string, mutate: (lease: Record<string, unknown>) => void): void {
    const lease = this.cluster.leases.get(name);
    if (!lease) throw new Error(`no lease "${name}" to update`);
    mutate(lease);
    (lease['metadata'] as Record<string, unknown>)['resourceVersion'] = this.cluster.nextVersion();
  }

  delete(name: string): void {
    this.cluster.leases.delete(name);
  }

  private create(body: LeaseBody | undefined): Reply {
    const name = body?.metadata?.name;
    if (!name) return { status: 422, body: invalid('Lease.coordination.k8s.io', '', 'metadata.name: Required value: name or generateName is required') };
    if (body.metadata?.resourceVersion) return { status: 400, body: badRequest('resourceVersion should not be set on objects to be created') };
    const refused = this.validate(name, body);
    if (refused) return refused;
    if (this.cluster.leases.has(name)) return { status: 409, body: alreadyExists('leases', GROUP, name) };
    const stored = this.store(name, body, { uid: randomUUID(), creationTimestamp: kubeTime() });
    return { status: 201, body: stored };
  }

  private replace(name: string, body: LeaseBody | undefined): Reply {
    const bodyName = body?.metadata?.name;
    if (bodyName !== undefined && bodyName !== name) {
      return { status: 400, body: badRequest(`the name of the object (${bodyName}) does not match the name on the URL (${name})`) };
    }
    const current = this.cluster.leases.get(name);
    if (!current) return { status: 404, body: notFound('leases', GROUP, name) };
    const currentMetadata = current['metadata'] as Record<string, unknown>;
    // Leases allow unconditional updates: only a resourceVersion that is given is checked.
    const resourceVersion = body?.metadata?.resourceVersion;
    if (resourceVersion && resourceVersion !== currentMetadata['resourceVersion']) return { status: 409, body: conflict('leases', GROUP, name) };
    const refused = this.validate(name, body!);
    if (refused) return refused;
    const stored = this.store(name, body!, { uid: currentMetadata['uid'], creationTimestamp: currentMetadata['creationTimestamp'] });
    return { status: 200, body: stored };
  }

  private validate(name: string, body: LeaseBody): Reply | undefined {
    if (body.metadata?.namespace !== undefined && body.metadata.namespace !== this.cluster.namespace) {
      return { status: 400, body: badRequest('the namespace of the provided object does not match the namespace sent on the request') };
    }
    for (const field of ['acquireTime', 'renewTime']) {
      const value = body.spec?.[field];
      if (value !== undefined && (typeof value !== 'string' || !MICRO_TIME.test(value))) {
        return {
          status: 400,
          body: badRequest(`Lease in version "v1" cannot be handled as a Lease: parsing time ${JSON.stringify(value)} as "2006-01-02T15:04:05.000000Z07:00": cannot parse`),
        };
      }
    }
    const duration = body.spec?.['leaseDurationSeconds'];
    if (duration !== undefined && (typeof duration !== 'number' || !Number.isInteger(duration) || duration <= 0)) {
      return { status: 422, body: invalid('Lease.coordination.k8s.io', name, `spec.leaseDurationSeconds: Invalid value: ${JSON.stringify(duration)}: must be greater than 0`) };
    }
    const transitions = body.spec?.['leaseTransitions'];
    if (transitions !== undefined && (typeof transitions !== 'number' || !Number.isInteger(transitions) || transitions < 0 || transitions > 2_147_483_647)) {
      return { status: 422, body: invalid('Lease.coordination.k8s.io', name, `spec.leaseTransitions: Invalid value: ${JSON.stringify(transitions)}: must be a non-negative int32`) };
    }
    for (const [key, value] of Object.entries(body.metadata?.labels ?? {})) {
      if (typeof value !== 'string' || !LABEL_VALUE.test(value) || value.length > 63) {
        return { status: 422, body: invalid('Lease.coordination.k8s.io', name, `metadata.labels: Invalid value: ${JSON.stringify(value)}: a valid label value (key ${key}) must be 63 characters or less and consist of alphanumerics, '-', '_' or '.', starting and ending alphanumeric`) };
      }
    }
    return undefined;
  }

  private store(name: string, body: LeaseBody, identity: Record<string, unknown>): Record<string, unknown> {
    const { managedFields: _managedFields, ...metadata } = body.metadata ?? {};
    const lease = {
      kind: 'Lease',
      apiVersion: `${GROUP}/v1`,
      metadata: { ...metadata, name, namespace: this.cluster.namespace, ...identity, resourceVersion: this.cluster.nextVersion() },
      spec: body.spec ?? {},
    };
    this.cluster.leases.set(name, lease);
    return structuredClone(lease);
  }
}
