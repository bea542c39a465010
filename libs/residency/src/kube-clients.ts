import { AppsV1Api, CoordinationV1Api, CoreV1Api, KubeConfig } from '@kubernetes/client-node';

/** The three Kubernetes APIs residency needs: Deployment scale, pods, Leases. */
export interface KubeClients {
  apps: AppsV1Api;
  core: CoreV1Api;
  coordination: CoordinationV1Api;
}

export interface KubeClientsConfig {
  /** An API server URL to use without credentials (tests: the stand-in's http:// URL). */
  server?: string;
  /** Use the pod's service account. Default: when KUBERNETES_SERVICE_HOST is set, as it is in every pod. */
  inCluster?: boolean;
}

/**
 * Clients for the cluster this process runs in (service account), or for the one the local kubeconfig points to
 * (KUBECONFIG, ~/.kube/config), or for an explicit server.
 */
export function kubeClients(config: KubeClientsConfig = {}): KubeClients {
  const kubeConfig = new KubeConfig();
  if (config.server) {
    // The client refuses plain http unless TLS verification is "skipped", which for http means nothing.
    kubeConfig.loadFromClusterAndUser(
      { name: 'introeval', server: config.server, skipTLSVerify: config.server.startsWith('http:') },
      { name: 'introeval' },
    );
  } else if (config.inCluster ?? Boolean(process.env['KUBERNETES_SERVICE_HOST'])) {
    kubeConfig.loadFromCluster();
  } else {
    kubeConfig.loadFromDefault();
  }
  return {
    apps: kubeConfig.makeApiClient(AppsV1Api),
    core: kubeConfig.makeApiClient(CoreV1Api),
    coordination: kubeConfig.makeApiClient(CoordinationV1Api),
  };
}
