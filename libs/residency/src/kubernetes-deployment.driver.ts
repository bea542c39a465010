import type { V1Deployment, V1Pod } from '@kubernetes/client-node';
import { Deadline, pollUntilDone, retryUntilDone } from './deadline.js';
import type { GroupDriver, ResidentModel } from './group-driver.js';
import type { KubeClients } from './kube-clients.js';
import { abortable, kubePolicy, mergePatch } from './kube-request.js';
import { labelSelectorQuery } from './label-selector.js';
import { probeOnce } from './probe-once.js';

export interface KubernetesDeploymentDriverOptions {
  client: KubeClients;
  namespace: string;
  /** The group's Deployment on this node (its pods request the node's GPU; see docs/kubernetes.md). */
  deployment: string;
  /**
   * The models the Deployment's engine serves (the node file's `models`), reported resident while its pods are
   * Ready. Absent: the Deployment itself is reported, as `deployment/<name>`.
   */
  models?: string[];
  /** Replicas while the group holds the node. Default 1: one GPU, one engine pod. */
  replicas?: number;
  /** Pause between polls of the Deployment or its pods and between retries. Default 1 s. */
  pollMs?: number;
  /**
   * Limit for one load or unload. Default 10 min: a load may pull an image and read a model from disk; an unload
   * waits out the pod's termination grace period, during which it finishes its running requests.
   */
  timeoutMs?: number;
}

/**
 * A residency group that is a Deployment: loading scales it to `replicas` and waits until that many pods are
 * Ready, unloading scales it to 0 and waits until its pods are gone (not merely Terminating: a terminating pod
 * still holds its GPU memory). Scales through the `scale` subresource with a merge patch.
 */
export class KubernetesDeploymentDriver implements GroupDriver {
  readonly description: string;
  private readonly client: KubeClients;
  private readonly namespace: string;
  private readonly deployment: string;
  private readonly replicas: number;
  private readonly models: readonly string[];
  private readonly pollMs: number;
  private readonly timeoutMs: number;
  /** The pods' label selector; a Deployment's selector is immutable, so it is read once. */
  private podSelector: string | undefined;

  constructor(options: KubernetesDeploymentDriverOptions) {
    this.client = options.client;
    this.namespace = options.namespace;
    this.deployment = options.deployment;
    this.replicas = options.replicas ?? 1;
    this.models = options.models?.length ? [...options.models] : [`deployment/${options.deployment}`];
    if (!Number.isInteger(this.replicas) || this.replicas < 1) throw new Error(`replicas must be a positive integer, got ${this.replicas}`);
    this.pollMs = options.pollMs ?? 1000;
    this.timeoutMs = options.timeoutMs ?? 600_000;
    this.description = `deployment ${this.namespace}/${this.deployment}`;
  }

  async load(signal?: AbortSignal): Promise<void> {
    const what = `loading ${this.description} (scale to ${this.replicas})`;
    const deadline = new Deadline(what, this.timeoutMs, signal);
    const policy = kubePolicy(what);
    await retryUntilDone(deadline, this.pollMs, policy, (s) => this.scale(this.replicas, s));
    await pollUntilDone(deadline, this.pollMs, policy, async (s) => {
      const deployment = await this.read(s);
      return this.isServing(deployment) || this.readiness(deployment);
    });
  }

  async unload(signal?: AbortSignal): Promise<void> {
    const what = `unloading ${this.description} (scale to 0)`;
    const deadline = new Deadline(what, this.timeoutMs, signal);
    const policy = kubePolicy(what);
    const selector = await retryUntilDone(deadline, this.pollMs, policy, (s) => this.selector(s));
    await retryUntilDone(deadline, this.pollMs, policy, (s) => this.scale(0, s));
    await pollUntilDone(deadline, this.pollMs, policy, async (s) => {
      const pods = await this.client.core.listNamespacedPod({ namespace: this.namespace, labelSelector: selector }, abortable(s));
      return pods.items.length === 0 || `${pods.items.length} pod(s) left: ${pods.items.map(describePod).join(', ')}`;
    });
  }

  async loaded(): Promise<boolean> {
    const deployment = await probeOnce(this.description, this.timeoutMs, (s) => this.read(s));
    return (deployment.spec?.replicas ?? 0) > 0 && this.isServing(deployment);
  }

  /** Ready pods hold the card: the configured models, with VRAM unknown (Kubernetes does not say). */
  async resident(): Promise<ResidentModel[]> {
    const deployment = await probeOnce(this.description, this.timeoutMs, (s) => this.read(s));
    const ready = (deployment.status?.readyReplicas ?? 0) > 0;
    return ready ? this.models.map((model) => ({ model, vramMb: null })) : [];
  }

  private async scale(replicas: number, signal: AbortSignal): Promise<void> {
    await this.client.apps.patchNamespacedDeploymentScale(
      { name: this.deployment, namespace: this.namespace, body: { spec: { replicas } } },
      mergePatch(signal),
    );
  }

  private read(signal: AbortSignal): Promise<V1Deployment> {
    return this.client.apps.readNamespacedDeployment({ name: this.deployment, namespace: this.namespace }, abortable(signal));
  }

  private async selector(signal: AbortSignal): Promise<string> {
    this.podSelector ??= labelSelectorQuery((await this.read(signal)).spec?.selector);
    return this.podSelector;
  }

  /** Ready pods for the current spec: the controller has seen the scale (observedGeneration) and counted them. */
  private isServing(deployment: V1Deployment): boolean {
    const observed = (deployment.status?.observedGeneration ?? 0) >= (deployment.metadata?.generation ?? 0);
    return observed && (deployment.status?.readyReplicas ?? 0) >= this.replicas;
  }

  private readiness(deployment: V1Deployment): string {
    const status = deployment.status;
    const stale = (status?.observedGeneration ?? 0) < (deployment.metadata?.generation ?? 0) ? ', scale not yet observed' : '';
    const failing = (status?.conditions ?? [])
      .filter((condition) => condition.status === 'False' && condition.message)
      .map((condition) => `${condition.type}: ${condition.message}`);
    return `${status?.readyReplicas ?? 0}/${this.replicas} pods ready${stale}${failing.length ? `; ${failing.join('; ')}` : ''}`;
  }
}

function describePod(pod: V1Pod): string {
  const state = pod.metadata?.deletionTimestamp ? 'Terminating' : (pod.status?.phase ?? 'Unknown');
  return `${pod.metadata?.name ?? '?'} (${state})`;
}
