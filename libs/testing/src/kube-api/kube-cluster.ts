import { randomUUID } from 'node:crypto';
import { kubeTime } from './kube-objects.js';

/** A Deployment the stand-in starts with. */
export interface KubeDeploymentSeed {
  name: string;
  replicas: number;
  /** A new pod turns Ready this long after it is created (its image pull and model load). Default 0. */
  readyDelayMs?: number;
  /** A deleted pod stays listed, Terminating, this long (its grace period). Default 0. */
  terminateDelayMs?: number;
  /** The pod template's labels, which are also the selector. Default `{ app: <name> }`. */
  labels?: Record<string, string>;
}

export interface KubePodRecord {
  name: string;
  uid: string;
  deployment: string;
  labels: Record<string, string>;
  createdAt: string;
  ready: boolean;
  readySince?: string;
  deletionTimestamp?: string;
}

export interface KubeDeploymentRecord {
  name: string;
  uid: string;
  labels: Record<string, string>;
  templateHash: string;
  replicas: number;
  generation: number;
  resourceVersion: string;
  createdAt: string;
  readyDelayMs: number;
  terminateDelayMs: number;
}

/**
 * The state behind the Kubernetes stand-in: Deployments whose pods come and go on their own clock, as a
 * Deployment controller and kubelet would make them, and Leases. One resourceVersion counter for everything,
 * as etcd has.
 */
export class KubeCluster {
  readonly deployments = new Map<string, KubeDeploymentRecord>();
  readonly pods = new Map<string, KubePodRecord>();
  readonly leases = new Map<string, Record<string, unknown>>();
  private version = 1000;
  private readonly timers = new Set<NodeJS.Timeout>();

  constructor(
    readonly namespace: string,
    seeds: readonly KubeDeploymentSeed[],
  ) {
    for (const seed of seeds) {
      const record: KubeDeploymentRecord = {
        name: seed.name,
        uid: randomUUID(),
        labels: seed.labels ?? { app: seed.name },
        templateHash: randomUUID().replace(/-/g, '').slice(0, 10),
        replicas: 0,
        generation: 1,
        resourceVersion: this.nextVersion(),
        createdAt: kubeTime(),
        readyDelayMs: seed.readyDelayMs ?? 0,
        terminateDelayMs: seed.terminateDelayMs ?? 0,
      };
      this.deployments.set(seed.name, record);
      // Pods that exist at start are already up: the cluster was running before the test looked at it.
      for (let i = 0; i < seed.replicas; i++) this.createPod(record, true);
      record.replicas = seed.replicas;
    }
  }

  nextVersion(): string {
    return String(++this.version);
  }

  /** Sets the Deployment's replicas: starts new pods, or marks the newest (unready first) Terminating. */
  scale(deployment: KubeDeploymentRecord, replicas: number): void {
    if (replicas !== deployment.replicas) {
      deployment.replicas = replicas;
      deployment.generation++;
    }
    deployment.resourceVersion = this.nextVersion();
    const live = this.podsOf(deployment).filter((pod) => !pod.deletionTimestamp);
    for (let i = live.length; i < replicas; i++) this.createPod(deployment, false);
    const surplus = live
      .sort((a, b) => Number(a.ready) - Number(b.ready) || b.createdAt.localeCompare(a.createdAt))
      .slice(0, Math.max(0, live.length - replicas));
    for (const pod of surplus) this.terminatePod(deployment, pod);
  }

  podsOf(deployment: KubeDeploymentRecord): KubePodRecord[] {
    return [...this.pods.values()].filter((pod) => pod.deployment === deployment.name);
  }

  /** Stops every pending pod transition; the stand-in is being closed. */
  dispose(): void {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
  }

  private createPod(deployment: KubeDeploymentRecord, ready: boolean): void {
    const suffix = randomUUID().replace(/-/g, '').slice(0, 5);
    const pod: KubePodRecord = {
      name: `${deployment.name}-${deployment.templateHash}-${suffix}`,
      uid: randomUUID(),
      deployment: deployment.name,
      labels: { ...deployment.labels, 'pod-template-hash': deployment.templateHash },
      createdAt: new Date().toISOString(),
      ready: false,
    };
    this.pods.set(pod.name, pod);
    const becomeReady = () => {
      if (pod.deletionTimestamp || !this.pods.has(pod.name)) return;
      pod.ready = true;
      pod.readySince = kubeTime();
      deployment.resourceVersion = this.nextVersion();
    };
    if (ready || deployment.readyDelayMs === 0) becomeReady();
    else this.after(deployment.readyDelayMs, becomeReady);
  }

  private terminatePod(deployment: KubeDeploymentRecord, pod: KubePodRecord): void {
    pod.deletionTimestamp = kubeTime();
    pod.ready = false;
    const remove = () => {
      this.pods.delete(pod.name);
      deployment.resourceVersion = this.nextVersion();
    };
    if (deployment.terminateDelayMs === 0) remove();
    else this.after(deployment.terminateDelayMs, remove);
  }

  private after(ms: number, action: () => void): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      action();
    }, ms);
    this.timers.add(timer);
  }
}
