export {
  startKubeApi,
  type KubeApiHandle,
  type KubeApiOptions,
  type KubeDeploymentView,
  type KubePodView,
  type KubeRequestRecord,
} from './kube-api.js';
export type { KubeDeploymentSeed } from './kube-cluster.js';
