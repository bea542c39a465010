import { afterEach, describe, expect, it } from '@jest/globals';
import {
  cannedBrain,
  freePort,
  startGpuNode,
  startKubeApi,
  type GpuModelSpec,
  type GpuNodeHandle,
  type KubeApiHandle,
} from '@introeval/testing';
import { GroupDriverChain } from './group-driver-chain.js';
import { kubeClients } from './kube-clients.js';
import { KubernetesDeploymentDriver } from './kubernetes-deployment.driver.js';
import { OllamaModelDriver } from './ollama-model.driver.js';

const LLAMA: GpuModelSpec = {
  name: 'llama3:8b-instruct-q4_K_M',
  api: 'ollama',
  group: 'rate',
  vramMb: 5600,
  loadSec: 0.2,
  serviceSec: 0.5,
  maxConcurrency: 1,
  gainAtMax: 1,
};

// A Deployment (Kubernetes stand-in) whose pod is the Ollama of the GPU-node stand-in.
describe('GroupDriverChain', () => {
  let kube: KubeApiHandle | undefined;
  let node: GpuNodeHandle | undefined;

  afterEach(async () => {
    await kube?.close();
    await node?.close();
    kube = node = undefined;
  });

  function deploymentDriver(): KubernetesDeploymentDriver {
    return new KubernetesDeploymentDriver({ client: kubeClients({ server: kube!.url }), namespace: 'introeval', deployment: 'introeval-rate-gpu-0', pollMs: 20 });
  }

  it('loads the Deployment before the model, and unloads the model before scaling to 0', async () => {
    node = await startGpuNode({ vramMb: 8192, models: [LLAMA], brain: cannedBrain({ transcript: { text: '', language: 'en', durationSec: 0, words: [] }, chat: () => '{}' }) });
    const ollamaUrl = node.ollamaUrl;
    const seen: string[] = [];
    kube = await startKubeApi({
      namespace: 'introeval',
      deployments: [{ name: 'introeval-rate-gpu-0', replicas: 0, readyDelayMs: 100 }],
      onScale: async (_name, replicas) => {
        const { models } = (await (await fetch(`${ollamaUrl}/api/ps`)).json()) as { models: unknown[] };
        seen.push(`scale to ${replicas} with ${models.length} model(s) resident`);
      },
    });
    const rate = new GroupDriverChain([deploymentDriver(), new OllamaModelDriver({ url: ollamaUrl, models: [LLAMA.name], pollMs: 20, settleMs: 0 })]);

    expect(await rate.resident()).toEqual([]);
    await rate.load();
    expect(await rate.loaded()).toBe(true);
    // Up and loaded: what the engine inside reports, with the VRAM it says the model holds.
    expect(await rate.resident()).toEqual([{ model: LLAMA.name, vramMb: 5600 }]);
    await rate.unload();
    expect(await rate.resident()).toEqual([]);

    expect(seen).toEqual(['scale to 1 with 0 model(s) resident', 'scale to 0 with 0 model(s) resident']);
    expect(node.residency()).toEqual([expect.objectContaining({ model: LLAMA.name, unloadedAt: expect.any(Number) })]);
    expect(kube.pods()).toEqual([]);
    expect(await rate.loaded()).toBe(false);
  });

  it('unloads only the Deployment when it is not up: the engine inside cannot be reached and holds nothing', async () => {
    kube = await startKubeApi({ namespace: 'introeval', deployments: [{ name: 'introeval-rate-gpu-0', replicas: 0 }] });
    const unreachable = `http://127.0.0.1:${await freePort()}`;
    const rate = new GroupDriverChain([deploymentDriver(), new OllamaModelDriver({ url: unreachable, models: [LLAMA.name], timeoutMs: 500 })]);

    await rate.unload();

    expect(kube.requests().some((r) => r.method === 'PATCH' && (r.body as any).spec.replicas === 0)).toBe(true);
  });
});
