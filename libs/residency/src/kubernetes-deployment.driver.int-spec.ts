import { afterEach, describe, expect, it } from '@jest/globals';
import { ErrorCode, IntroEvalError } from '@introeval/contracts';
import { freePort, startKubeApi, type KubeApiHandle, type KubeApiOptions } from '@introeval/testing';
import { kubeClients } from './kube-clients.js';
import { KubernetesDeploymentDriver, type KubernetesDeploymentDriverOptions } from './kubernetes-deployment.driver.js';

// The driver talks to the Kubernetes stand-in through the real @kubernetes/client-node 1.4.0.
describe('KubernetesDeploymentDriver', () => {
  let kube: KubeApiHandle | undefined;

  afterEach(async () => {
    await kube?.close();
    kube = undefined;
  });

  async function setUp(
    deployments: KubeApiOptions['deployments'],
    driverOptions: Partial<KubernetesDeploymentDriverOptions> = {},
    onScale?: KubeApiOptions['onScale'],
  ) {
    kube = await startKubeApi({ namespace: 'introeval', deployments, onScale });
    const driver = new KubernetesDeploymentDriver({
      client: kubeClients({ server: kube.url }),
      namespace: 'introeval',
      deployment: deployments[0].name,
      pollMs: 20,
      timeoutMs: 10_000,
      ...driverOptions,
    });
    return { kube, driver };
  }

  const podsOf = (name: string) => kube!.pods().filter((pod) => pod.deployment === name);

  it('load scales to 1 with a merge patch on the scale subresource and returns once the pod is Ready', async () => {
    const scaled: [string, number][] = [];
    const { kube, driver } = await setUp([{ name: 'ollama-extract', replicas: 0, readyDelayMs: 300 }], {}, (name, replicas) => {
      scaled.push([name, replicas]);
    });

    await driver.load();

    expect(podsOf('ollama-extract')).toEqual([expect.objectContaining({ ready: true, terminating: false })]);
    expect(scaled).toEqual([['ollama-extract', 1]]);
    const patch = kube.requests().find((r) => r.method === 'PATCH');
    expect(patch).toMatchObject({
      path: '/apis/apps/v1/namespaces/introeval/deployments/ollama-extract/scale',
      contentType: 'application/merge-patch+json',
      body: { spec: { replicas: 1 } },
      status: 200,
    });
    expect(await driver.loaded()).toBe(true);
  });

  it('unload scales to 0 and returns only once the pods are gone, not while they are Terminating', async () => {
    const { kube, driver } = await setUp([{ name: 'speaches-stt', replicas: 1, terminateDelayMs: 300 }]);
    expect(await driver.loaded()).toBe(true);

    await driver.unload();

    expect(podsOf('speaches-stt')).toEqual([]);
    expect(kube.deployments()).toEqual([expect.objectContaining({ name: 'speaches-stt', replicas: 0 })]);
    const listed = kube.requests().filter((r) => r.path === '/api/v1/namespaces/introeval/pods');
    expect(listed.length).toBeGreaterThan(1); // it saw the Terminating pod at least once before it was gone
    expect(listed.every((r) => r.query['labelSelector'] === 'app=speaches-stt')).toBe(true);
    expect(await driver.loaded()).toBe(false);
  });

  it("counts only its own Deployment's pods: another group's running pod does not hold up the unload", async () => {
    const { driver } = await setUp([
      { name: 'ollama-rate', replicas: 1, labels: { app: 'ollama', 'introeval.io/group': 'rate' } },
      { name: 'ollama-extract', replicas: 1, labels: { app: 'ollama', 'introeval.io/group': 'extract' } },
    ]);

    await driver.unload();

    expect(podsOf('ollama-rate')).toEqual([]);
    expect(podsOf('ollama-extract')).toHaveLength(1);
  });

  it('load and unload are no-ops when the Deployment is already there', async () => {
    const { driver } = await setUp([{ name: 'ollama-rate', replicas: 1 }]);
    const [pod] = podsOf('ollama-rate');

    await driver.load();
    expect(podsOf('ollama-rate')).toEqual([pod]); // the same pod: nothing was restarted

    await driver.unload();
    await driver.unload();
    expect(podsOf('ollama-rate')).toEqual([]);
  });

  it('retries while the API server answers 503 (restarting) and still gets there', async () => {
    const { kube, driver } = await setUp([{ name: 'ollama-rate', replicas: 0 }]);
    kube.failNext(3);

    await driver.load();

    expect(kube.requests().filter((r) => r.status === 503)).toHaveLength(3);
    expect(podsOf('ollama-rate')).toEqual([expect.objectContaining({ ready: true })]);
  });

  it('fails with RESIDENCY_TIMEOUT naming the readiness it last saw when the pod never becomes Ready', async () => {
    const { driver } = await setUp([{ name: 'ollama-rate', replicas: 0, readyDelayMs: 60_000 }], { timeoutMs: 400 });

    const error = await driver.load().catch((e: unknown) => e);

    expect(error).toBeInstanceOf(IntroEvalError);
    expect(error).toMatchObject({ code: ErrorCode.ResidencyTimeout, permanent: false });
    expect((error as Error).message).toMatch(/deployment introeval\/ollama-rate.*0\/1 pods ready/);
  });

  it('fails with RESIDENCY_TIMEOUT naming the pods left when a pod stays Terminating', async () => {
    const { driver } = await setUp([{ name: 'ollama-rate', replicas: 1, terminateDelayMs: 60_000 }], { timeoutMs: 400 });

    const error = await driver.unload().catch((e: unknown) => e);

    expect(error).toMatchObject({ code: ErrorCode.ResidencyTimeout });
    expect((error as Error).message).toMatch(/1 pod\(s\) left: ollama-rate-\S+ \(Terminating\)/);
  });

  it('refuses at once, with the API server message, when the Deployment does not exist', async () => {
    const { kube, driver } = await setUp([{ name: 'ollama-rate', replicas: 0 }], { deployment: 'ollama-missing', timeoutMs: 30_000 });

    const error = await driver.load().catch((e: unknown) => e);

    expect(error).toMatchObject({ code: ErrorCode.ResidencyRefused, permanent: true });
    expect((error as Error).message).toContain('deployments.apps "ollama-missing" not found');
    expect(kube.requests()).toHaveLength(1);
  });

  it('keeps retrying while the API server cannot be reached, and says so when the time is up', async () => {
    const port = await freePort();
    const driver = new KubernetesDeploymentDriver({
      client: kubeClients({ server: `http://127.0.0.1:${port}` }),
      namespace: 'introeval',
      deployment: 'ollama-rate',
      pollMs: 20,
      timeoutMs: 300,
    });

    const error = await driver.load().catch((e: unknown) => e);

    expect(error).toMatchObject({ code: ErrorCode.ResidencyTimeout, permanent: false });
    expect((error as Error).message).toContain('ECONNREFUSED');
  });

  it('stops waiting when aborted, with the abort reason', async () => {
    const { driver } = await setUp([{ name: 'ollama-rate', replicas: 0, readyDelayMs: 60_000 }]);
    const controller = new AbortController();
    const loading = driver.load(controller.signal);
    setTimeout(() => controller.abort(new Error('scheduler stopping')), 100);

    await expect(loading).rejects.toThrow('scheduler stopping');
  });

  it('reports its configured models resident while a pod is Ready, and nothing once scaled to 0', async () => {
    const { driver } = await setUp([{ name: 'ollama-rate', replicas: 1 }], { models: ['llama3:8b-instruct-q4_K_M'] });
    expect(await driver.resident()).toEqual([{ model: 'llama3:8b-instruct-q4_K_M', vramMb: null }]);
    await driver.unload();
    expect(await driver.resident()).toEqual([]);
    const bare = new KubernetesDeploymentDriver({ client: kubeClients({ server: kube!.url }), namespace: 'introeval', deployment: 'ollama-rate' });
    await bare.load();
    expect(await bare.resident()).toEqual([{ model: 'deployment/ollama-rate', vramMb: null }]);
  });
});
