import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { eventually } from '../eventually.js';
import { startKubeApi, type KubeApiHandle } from './kube-api.js';

// Raw HTTP against the stand-in: the parts the residency drivers do not exercise through the client.
describe('startKubeApi', () => {
  let kube: KubeApiHandle;
  const scalePath = '/apis/apps/v1/namespaces/lab/deployments/speaches/scale';

  beforeEach(async () => {
    kube = await startKubeApi({ namespace: 'lab', deployments: [{ name: 'speaches', replicas: 1, readyDelayMs: 100, terminateDelayMs: 100 }] });
  });

  afterEach(async () => {
    await kube.close();
  });

  async function call(method: string, path: string, body?: unknown, contentType = 'application/json') {
    const response = await fetch(`${kube.url}${path}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': contentType },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: response.status, json: (await response.json()) as any };
  }

  it('scales with a JSON patch, and pods follow: Ready after the delay, Terminating then gone after a scale-down', async () => {
    const up = await call('PATCH', scalePath, [{ op: 'replace', path: '/spec/replicas', value: 2 }], 'application/json-patch+json');
    expect(up).toMatchObject({ status: 200, json: { kind: 'Scale', apiVersion: 'autoscaling/v1', spec: { replicas: 2 }, status: { selector: 'app=speaches' } } });
    expect(kube.pods().filter((pod) => pod.ready)).toHaveLength(1);
    await eventually(() => kube.pods().filter((pod) => pod.ready).length === 2, { what: 'the new pod to be Ready' });
    expect((await call('GET', '/apis/apps/v1/namespaces/lab/deployments/speaches')).json.status).toMatchObject({ readyReplicas: 2, replicas: 2 });

    await call('PATCH', scalePath, { spec: { replicas: 0 } }, 'application/merge-patch+json');
    expect(kube.pods().map((pod) => pod.terminating)).toEqual([true, true]);
    await eventually(() => kube.pods().length === 0, { what: 'the pods to be gone' });
    const deployment = await call('GET', '/apis/apps/v1/namespaces/lab/deployments/speaches');
    expect(deployment.json.status.readyReplicas).toBeUndefined(); // zero is omitted, as the API server omits it
    expect(deployment.json.metadata.generation).toBe(3);
  });

  it('refuses a scale PUT with a stale resourceVersion (409) and takes a current one', async () => {
    const { json: scale } = await call('GET', scalePath);
    await call('PATCH', scalePath, { spec: { replicas: 2 } }, 'application/merge-patch+json');

    const stale = await call('PUT', scalePath, { ...scale, spec: { replicas: 3 } });
    expect(stale).toMatchObject({ status: 409, json: { kind: 'Status', reason: 'Conflict', code: 409 } });

    const { json: current } = await call('GET', scalePath);
    expect((await call('PUT', scalePath, { ...current, spec: { replicas: 3 } })).status).toBe(200);
    expect(kube.deployments()).toEqual([expect.objectContaining({ name: 'speaches', replicas: 3 })]);
  });

  it('refuses Lease times that are not MicroTime, and a create of an existing Lease', async () => {
    const leases = '/apis/coordination.k8s.io/v1/namespaces/lab/leases';
    const lease = { metadata: { name: 'gpu-0' }, spec: { holderIdentity: 'a', renewTime: '2026-01-01T00:00:00.000Z' } };
    expect(await call('POST', leases, lease)).toMatchObject({ status: 400, json: { reason: 'BadRequest' } });

    const micro = { ...lease, spec: { ...lease.spec, renewTime: '2026-01-01T00:00:00.000000Z' } };
    expect((await call('POST', leases, micro)).status).toBe(201);
    expect(await call('POST', leases, micro)).toMatchObject({ status: 409, json: { reason: 'AlreadyExists' } });
  });

  it('answers unknown paths, other namespaces and bad selectors as the API server does', async () => {
    expect((await call('GET', '/apis/batch/v1/namespaces/lab/jobs')).status).toBe(404);
    expect(await call('GET', '/apis/apps/v1/namespaces/other/deployments/speaches')).toMatchObject({ status: 404, json: { reason: 'NotFound' } });
    expect((await call('GET', '/api/v1/namespaces/lab/pods?labelSelector=app%20in%20speaches')).status).toBe(400);
    expect((await call('PATCH', scalePath, { spec: { replicas: -1 } }, 'application/merge-patch+json')).status).toBe(422);
  });
});
