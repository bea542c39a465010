import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { ErrorCode } from '@introeval/contracts';
import { startKubeApi, type KubeApiHandle } from '@introeval/testing';
import { kubeClients } from './kube-clients.js';
import { KubernetesLeaseMirror } from './kubernetes-lease.mirror.js';
import type { LeaseSnapshot } from './lease-object.js';

const NAME = 'introeval-gpu-gpu-0';
const LEASE_PATH = `/apis/coordination.k8s.io/v1/namespaces/introeval/leases/${NAME}`;
const MICRO_TIME = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/;

function snapshot(overrides: Partial<LeaseSnapshot> = {}): LeaseSnapshot {
  return { node: 'gpu-0', phase: ['stt'], state: 'granted', epoch: 1, holder: 'scheduler-a', since: new Date().toISOString(), ttlSec: 15, ...overrides };
}

// The mirror writes through the real @kubernetes/client-node 1.4.0 to the Kubernetes stand-in.
describe('KubernetesLeaseMirror', () => {
  let kube: KubeApiHandle;
  let mirror: KubernetesLeaseMirror;

  beforeEach(async () => {
    kube = await startKubeApi({ namespace: 'introeval', deployments: [] });
    mirror = new KubernetesLeaseMirror({ client: kubeClients({ server: kube.url }), namespace: 'introeval', name: NAME });
  });

  afterEach(async () => {
    await kube.close();
  });

  const stored = (): any => kube.leases().find((lease: any) => lease.metadata.name === NAME);

  it('creates the Lease on first use, with holder, epoch, ttl and microsecond times', async () => {
    await mirror.mirror(snapshot({ phase: ['extract'], epoch: 3, holder: 'scheduler-b' }));

    const lease = stored();
    expect(lease.spec).toMatchObject({ holderIdentity: 'scheduler-b', leaseTransitions: 3, leaseDurationSeconds: 15 });
    expect(lease.spec.renewTime).toMatch(MICRO_TIME);
    expect(lease.spec.acquireTime).toMatch(MICRO_TIME);
    expect(lease.metadata.labels).toMatchObject({ 'introeval.io/phase': 'extract', 'introeval.io/state': 'granted', 'introeval.io/epoch': '3' });
    expect(kube.requests().map((r) => `${r.method} ${r.status}`)).toEqual(['GET 404', 'POST 201']);
  });

  it('then replaces it with the resourceVersion it last wrote, without reading it again', async () => {
    await mirror.mirror(snapshot({ state: 'loading', epoch: 1 }));
    const firstVersion = stored().metadata.resourceVersion;

    await mirror.mirror(snapshot({ state: 'granted', epoch: 2 }));

    const put = kube.requests().at(-1)!;
    expect(put).toMatchObject({ method: 'PUT', path: LEASE_PATH, status: 200 });
    expect((put.body as any).metadata.resourceVersion).toBe(firstVersion);
    expect(kube.requests()).toHaveLength(3);
    expect(stored().metadata.labels['introeval.io/state']).toBe('granted');
    expect(stored().spec.leaseTransitions).toBe(2);
  });

  it('on 409 (someone else wrote it in between) reads it again and retries, keeping their label', async () => {
    await mirror.mirror(snapshot({ epoch: 1 }));
    kube.updateLease(NAME, (lease: any) => {
      lease.metadata.labels.team = 'lab';
    });

    await mirror.mirror(snapshot({ state: 'draining', epoch: 1 }));

    expect(kube.requests().slice(2).map((r) => `${r.method} ${r.status}`)).toEqual(['PUT 409', 'GET 200', 'PUT 200']);
    expect(stored().metadata.labels).toMatchObject({ team: 'lab', 'introeval.io/state': 'draining' });
  });

  it('creates it again when it was deleted behind its back', async () => {
    await mirror.mirror(snapshot({ epoch: 1 }));
    kube.deleteLease(NAME);

    await mirror.mirror(snapshot({ epoch: 2 }));

    expect(kube.requests().slice(2).map((r) => `${r.method} ${r.status}`)).toEqual(['PUT 404', 'GET 404', 'POST 201']);
    expect(stored().spec.leaseTransitions).toBe(2);
  });

  it('applies calls made without waiting one after another, in call order, without conflicts', async () => {
    await Promise.all([1, 2, 3, 4].map((epoch) => mirror.mirror(snapshot({ epoch }))));

    expect(stored().spec.leaseTransitions).toBe(4);
    expect(kube.requests().filter((r) => r.status === 409)).toEqual([]);
  });

  it('gives up after maxAttempts conflicts with a transient error', async () => {
    const impatient = new KubernetesLeaseMirror({ client: kubeClients({ server: kube.url }), namespace: 'introeval', name: NAME, maxAttempts: 2 });
    kube.failNext(10, 409);

    const error = await impatient.mirror(snapshot()).catch((e: unknown) => e);

    expect(error).toMatchObject({ code: ErrorCode.Unavailable, permanent: false });
    expect((error as Error).message).toMatch(/after 2 attempt\(s\)/);
  });

  it('reports a write the API server refuses as permanent, with its message', async () => {
    const error = await mirror.mirror(snapshot({ ttlSec: 0 })).catch((e: unknown) => e);

    expect(error).toMatchObject({ code: ErrorCode.ResidencyRefused, permanent: true });
    expect((error as Error).message).toContain('spec.leaseDurationSeconds');
  });

  it('keeps working after a failed call', async () => {
    await mirror.mirror(snapshot({ ttlSec: 0 })).catch(() => undefined);

    await mirror.mirror(snapshot({ epoch: 5 }));

    expect(stored().spec.leaseTransitions).toBe(5);
  });
});
