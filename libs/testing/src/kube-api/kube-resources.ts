import type { KubeCluster, KubeDeploymentRecord, KubePodRecord } from './kube-cluster.js';
import { kubeTime } from './kube-objects.js';

/** The JSON the API server returns for these objects (the fields @kubernetes/client-node reads, zeros omitted). */

export function deploymentJson(cluster: KubeCluster, deployment: KubeDeploymentRecord): Record<string, unknown> {
  const pods = cluster.podsOf(deployment);
  const live = pods.filter((pod) => !pod.deletionTimestamp);
  const ready = live.filter((pod) => pod.ready).length;
  const now = kubeTime();
  return {
    kind: 'Deployment',
    apiVersion: 'apps/v1',
    metadata: {
      name: deployment.name,
      namespace: cluster.namespace,
      uid: deployment.uid,
      resourceVersion: deployment.resourceVersion,
      generation: deployment.generation,
      creationTimestamp: deployment.createdAt,
      labels: deployment.labels,
    },
    spec: {
      replicas: deployment.replicas,
      selector: { matchLabels: deployment.labels },
      strategy: { type: 'Recreate' },
      template: {
        metadata: { labels: deployment.labels },
        spec: {
          containers: [{ name: 'engine', image: 'introeval/engine-stand-in', resources: { limits: { 'nvidia.com/gpu': '1' } } }],
        },
      },
    },
    status: omitZeros({
      observedGeneration: deployment.generation,
      replicas: live.length,
      updatedReplicas: live.length,
      readyReplicas: ready,
      availableReplicas: ready,
      unavailableReplicas: live.length - ready,
      conditions: [
        {
          type: 'Available',
          status: ready >= deployment.replicas ? 'True' : 'False',
          reason: ready >= deployment.replicas ? 'MinimumReplicasAvailable' : 'MinimumReplicasUnavailable',
          message: ready >= deployment.replicas ? 'Deployment has minimum availability.' : 'Deployment does not have minimum availability.',
          lastUpdateTime: now,
          lastTransitionTime: now,
        },
      ],
    }),
  };
}

/** The `scale` subresource: autoscaling/v1 Scale, whose status.selector is the pods' selector as a query string. */
export function scaleJson(cluster: KubeCluster, deployment: KubeDeploymentRecord): Record<string, unknown> {
  const live = cluster.podsOf(deployment).filter((pod) => !pod.deletionTimestamp).length;
  return {
    kind: 'Scale',
    apiVersion: 'autoscaling/v1',
    metadata: {
      name: deployment.name,
      namespace: cluster.namespace,
      uid: deployment.uid,
      resourceVersion: deployment.resourceVersion,
      creationTimestamp: deployment.createdAt,
    },
    spec: omitZeros({ replicas: deployment.replicas }),
    status: {
      replicas: live,
      selector: Object.entries(deployment.labels)
        .map(([key, value]) => `${key}=${value}`)
        .join(','),
    },
  };
}

export function podJson(cluster: KubeCluster, pod: KubePodRecord, deployment: KubeDeploymentRecord): Record<string, unknown> {
  const created = kubeTime(new Date(pod.createdAt));
  return {
    metadata: {
      name: pod.name,
      generateName: `${deployment.name}-${deployment.templateHash}-`,
      namespace: cluster.namespace,
      uid: pod.uid,
      resourceVersion: deployment.resourceVersion,
      creationTimestamp: created,
      labels: pod.labels,
      ...(pod.deletionTimestamp ? { deletionTimestamp: pod.deletionTimestamp, deletionGracePeriodSeconds: 30 } : {}),
      ownerReferences: [
        { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: `${deployment.name}-${deployment.templateHash}`, uid: deployment.uid, controller: true },
      ],
    },
    spec: { containers: [{ name: 'engine', image: 'introeval/engine-stand-in' }] },
    status: {
      phase: 'Running',
      startTime: created,
      conditions: [
        { type: 'Ready', status: pod.ready ? 'True' : 'False', lastTransitionTime: pod.readySince ?? created },
        { type: 'PodScheduled', status: 'True', lastTransitionTime: created },
      ],
    },
  };
}

function omitZeros(object: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(object).filter(([, value]) => value !== 0));
}
