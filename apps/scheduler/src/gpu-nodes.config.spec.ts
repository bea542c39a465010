import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { loadGpuNodes } from './gpu-nodes.config.js';

/** A node as docs/scheduling.md shows it: speaches for stt, Ollama for extract and rate. */
function labNode(name = 'gpu-0'): Record<string, any> {
  const group = (vramMb: number, concurrency: number, serviceSec: number, driver: object) => ({ vramMb, concurrency, serviceSec, driver });
  return {
    name,
    vramMb: 8192,
    groups: {
      stt: group(4500, 8, 3, { kind: 'speaches', url: 'http://gpu-0:8000', models: ['Systran/faster-whisper-large-v2'] }),
      extract: group(5100, 4, 7, { kind: 'ollama', url: 'http://gpu-0:11434', models: ['mistral:7b-instruct-q4_K_M'] }),
      rate: group(5600, 4, 11, { kind: 'ollama', url: 'http://gpu-0:11434', models: ['llama3:8b-instruct-q4_K_M'], settleMs: 0, pollMs: 5 }),
    },
  };
}

/** A node whose groups are Kubernetes Deployments (rate also preloads its model through the Service). */
function kubeNode(name = 'gpu-k8s'): Record<string, any> {
  const node = labNode(name);
  node.groups.stt.driver = { kind: 'kubernetes', deployment: 'introeval-whisper' };
  node.groups.extract.driver = { kind: 'kubernetes', deployment: 'introeval-mistral' };
  node.groups.rate.driver = { kind: 'kubernetes', deployment: 'introeval-llama3', url: 'http://llama3:11434', models: ['llama3:8b'] };
  node.kubernetes = { namespace: 'introeval' };
  return node;
}

describe('loadGpuNodes', () => {
  let dir: string;
  let files = 0;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'introeval-gpu-nodes-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  async function fileWith(content: unknown): Promise<string> {
    const path = join(dir, `nodes-${++files}.json`);
    await writeFile(path, typeof content === 'string' ? content : JSON.stringify(content));
    return path;
  }

  it('reads a valid file: model-server and Kubernetes nodes, optional fields kept', async () => {
    const nodes = await loadGpuNodes(await fileWith({ nodes: [labNode(), kubeNode()] }));
    expect(nodes.map((n) => n.name)).toEqual(['gpu-0', 'gpu-k8s']);
    const [lab, kube] = nodes;
    expect(lab.vramMb).toBe(8192);
    expect(lab.groups.stt).toEqual({
      vramMb: 4500,
      concurrency: 8,
      serviceSec: 3,
      driver: { kind: 'speaches', url: 'http://gpu-0:8000', models: ['Systran/faster-whisper-large-v2'] },
    });
    expect(lab.groups.rate.driver).toMatchObject({ settleMs: 0, pollMs: 5 });
    expect(kube.kubernetes).toEqual({ namespace: 'introeval' });
    expect(kube.groups.rate.driver.deployment).toBe('introeval-llama3');
  });

  it('accepts a node without vramMb (read from nvidia-smi at boot)', async () => {
    const node = labNode();
    delete node.vramMb;
    const [loaded] = await loadGpuNodes(await fileWith({ nodes: [node] }));
    expect(loaded.vramMb).toBeUndefined();
  });

  const invalid: [string, () => unknown, RegExp][] = [
    [
      'an ollama driver without url',
      () => {
        const node = labNode();
        delete node.groups.extract.driver.url;
        return { nodes: [node] };
      },
      /node gpu-0 group extract: the ollama driver needs url and models/,
    ],
    [
      'a speaches driver without models',
      () => {
        const node = labNode();
        node.groups.stt.driver.models = [];
        return { nodes: [node] };
      },
      /node gpu-0 group stt: the speaches driver needs url and models/,
    ],
    [
      'a kubernetes driver on a node without kubernetes.namespace',
      () => {
        const node = kubeNode();
        delete node.kubernetes;
        return { nodes: [node] };
      },
      /node gpu-k8s group stt: the kubernetes driver needs the node's kubernetes.namespace/,
    ],
    [
      'a kubernetes driver without deployment',
      () => {
        const node = kubeNode();
        delete node.groups.extract.driver.deployment;
        return { nodes: [node] };
      },
      /node gpu-k8s group extract: the kubernetes driver needs deployment/,
    ],
    ['the same node twice', () => ({ nodes: [labNode('gpu-1'), kubeNode('gpu-2'), labNode('gpu-1')] }), /names node gpu-1 twice/],
    ['no nodes', () => ({ nodes: [] }), /is invalid: .*nodes/],
    [
      'an unknown driver kind',
      () => {
        const node = labNode();
        node.groups.rate.driver.kind = 'vllm';
        return { nodes: [node] };
      },
      /driver.kind must be one of ollama, speaches, kubernetes/,
    ],
    [
      'a group without a footprint',
      () => {
        const node = labNode();
        node.groups.stt.vramMb = 0;
        return { nodes: [node] };
      },
      /is invalid: .*vramMb/,
    ],
    [
      'a node name Kubernetes or the lease keys cannot carry',
      () => ({ nodes: [labNode('gpu 0')] }),
      /node name must be 1-64 letters, digits, - or _/,
    ],
    [
      'a missing group',
      () => {
        const node = labNode();
        delete node.groups.rate;
        return { nodes: [node] };
      },
      /is invalid: .*rate should not be null or undefined/,
    ],
    [
      'a node without groups',
      () => {
        const node = labNode();
        delete node.groups;
        return { nodes: [node] };
      },
      /is invalid: .*groups should not be null or undefined/,
    ],
    [
      'a group without a driver',
      () => {
        const node = labNode();
        delete node.groups.extract.driver;
        return { nodes: [node] };
      },
      /is invalid: .*driver should not be null or undefined/,
    ],
    [
      'an unknown field (a typo must not be ignored)',
      () => {
        const node = labNode();
        node.groups.stt.concurency = 4;
        return { nodes: [node] };
      },
      /is invalid: .*concurency/,
    ],
  ];

  it.each(invalid)('refuses %s, naming the problem', async (_what, content, problem) => {
    const path = await fileWith(content());
    await expect(loadGpuNodes(path)).rejects.toThrow(problem);
    await expect(loadGpuNodes(path)).rejects.toThrow(path);
  });

  it('refuses a file that is not JSON, and one that does not exist', async () => {
    const path = await fileWith('{ "nodes": [ ');
    await expect(loadGpuNodes(path)).rejects.toThrow(`GPU_NODES_FILE ${path} is not readable JSON`);
    await expect(loadGpuNodes(join(dir, 'absent.json'))).rejects.toThrow(/is not readable JSON: ENOENT/);
  });
});
