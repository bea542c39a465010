import { perGroup, type Group } from '@introeval/contracts';
import {
  GroupDriverChain,
  KubernetesDeploymentDriver,
  OllamaModelDriver,
  SpeachesModelDriver,
  type GroupDriver,
  type KubeClients,
} from '@introeval/residency';
import type { GpuNodeSpec, GroupDriverSpec } from './gpu-nodes.config.js';

/** The driver of each of a node's groups, as its spec says. `kube` is needed only by kubernetes drivers. */
export function groupDrivers(node: GpuNodeSpec, kube: () => KubeClients): Record<Group, GroupDriver> {
  const build = (spec: GroupDriverSpec): GroupDriver => {
    const timing = { pollMs: spec.pollMs, timeoutMs: spec.timeoutMs, settleMs: spec.settleMs };
    switch (spec.kind) {
      case 'ollama':
        return new OllamaModelDriver({ url: spec.url!, models: spec.models!, ...timing });
      case 'speaches':
        return new SpeachesModelDriver({ url: spec.url!, models: spec.models!, ...timing });
      case 'kubernetes': {
        const deployment = new KubernetesDeploymentDriver({
          client: kube(),
          namespace: node.kubernetes!.namespace,
          deployment: spec.deployment!,
          models: spec.models,
          pollMs: spec.pollMs,
          timeoutMs: spec.timeoutMs,
        });
        if (!spec.url || !spec.models?.length) return deployment;
        // A Ready pod is not a model in VRAM: scale up, then preload through the engine's Service (and back).
        const models = { url: spec.url, models: spec.models, ...timing };
        const engine = spec.models.some((m) => m.includes('/')) ? new SpeachesModelDriver(models) : new OllamaModelDriver(models);
        return new GroupDriverChain([deployment, engine]);
      }
    }
  };
  return perGroup((group) => build(node.groups[group].driver));
}
