import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { applyJsonPatch, applyMergePatch, PatchError } from './json-patch.js';
import { KubeCluster, type KubeDeploymentSeed } from './kube-cluster.js';
import { conflict, kubeStatus, notFound } from './kube-objects.js';
import { deploymentJson, podJson, scaleJson } from './kube-resources.js';
import { LeaseStore } from './lease-store.js';
import { parseLabelSelector } from './label-selector.js';

export interface KubeApiOptions {
  /** The one namespace that exists. Default `default`. */
  namespace?: string;
  deployments: KubeDeploymentSeed[];
  /** Called (and awaited) after a Deployment's replicas were set, before the scale request is answered. */
  onScale?: (deployment: string, replicas: number) => void | Promise<void>;
}

export interface KubeRequestRecord {
  method: string;
  /** Path without the query string. */
  path: string;
  query: Record<string, string>;
  contentType: string | undefined;
  status: number;
  body: unknown;
}

export interface KubeDeploymentView {
  name: string;
  replicas: number;
  readyReplicas: number;
  generation: number;
}

export interface KubePodView {
  name: string;
  deployment: string;
  labels: Record<string, string>;
  ready: boolean;
  terminating: boolean;
}

export interface KubeApiHandle {
  /** http://127.0.0.1:PORT: pass it to `kubeClients({ server })`. */
  readonly url: string;
  deployments(): KubeDeploymentView[];
  pods(): KubePodView[];
  /** The Lease objects as stored (copies). */
  leases(): Record<string, unknown>[];
  /** Every request so far, in order, with the status it was answered with. */
  requests(): KubeRequestRecord[];
  /** Changes a Lease the way another writer would: its resourceVersion moves on. */
  updateLease(name: string, mutate: (lease: Record<string, unknown>) => void): void;
  deleteLease(name: string): void;
  /** Answers the next `count` requests with `status` (default 503), as an API server that is restarting. */
  failNext(count: number, status?: number): void;
  close(): Promise<void>;
}

interface Reply {
  status: number;
  body: unknown;
}

const LEASES = /^\/apis\/coordination\.k8s\.io\/v1\/namespaces\/([^/]+)\/leases(?:\/([^/]+))?$/;
const DEPLOYMENT = /^\/apis\/apps\/v1\/namespaces\/([^/]+)\/deployments\/([^/]+)(\/scale)?$/;
const PODS = /^\/api\/v1\/namespaces\/([^/]+)\/pods$/;

/**
 * A Kubernetes API server stand-in on loopback, speaking the paths and JSON that @kubernetes/client-node 1.4.0
 * sends and parses: Leases (get, list, create, replace with resourceVersion checks), Deployments (get) and their
 * `scale` subresource (get, replace, merge/json patch), and pods (list with labelSelector). Pods follow scaling
 * on their own clock: Ready `readyDelayMs` after creation, Terminating for `terminateDelayMs` after a scale-down.
 */
export async function startKubeApi(options: KubeApiOptions): Promise<KubeApiHandle> {
  const namespace = options.namespace ?? 'default';
  const cluster = new KubeCluster(namespace, options.deployments);
  const leases = new LeaseStore(cluster);
  const log: KubeRequestRecord[] = [];
  let failures: { count: number; status: number } = { count: 0, status: 503 };

  const route = async (method: string, path: string, query: URLSearchParams, contentType: string, body: unknown): Promise<Reply> => {
    if (failures.count > 0) {
      failures = { ...failures, count: failures.count - 1 };
      const reason = failures.status === 429 ? 'TooManyRequests' : failures.status === 503 ? 'ServiceUnavailable' : 'InternalError';
      return { status: failures.status, body: kubeStatus(failures.status, reason, 'the stand-in was told to fail this request') };
    }
    const lease = LEASES.exec(path);
    const deployment = DEPLOYMENT.exec(path);
    const pods = PODS.exec(path);
    const ns = (lease ?? deployment ?? pods)?.[1];
    if (ns !== undefined && decodeURIComponent(ns) !== namespace) {
      return { status: 404, body: kubeStatus(404, 'NotFound', `namespaces "${decodeURIComponent(ns)}" not found`) };
    }
    if (lease) return leases.handle(method, lease[2] === undefined ? undefined : decodeURIComponent(lease[2]), body);
    if (deployment) return handleDeployment(method, decodeURIComponent(deployment[2]), deployment[3] !== undefined, contentType, body);
    if (pods && method === 'GET') return listPods(query.get('labelSelector') ?? '');
    return { status: 404, body: kubeStatus(404, 'NotFound', 'the server could not find the requested resource') };
  };

  const handleDeployment = async (method: string, name: string, scale: boolean, contentType: string, body: unknown): Promise<Reply> => {
    const record = cluster.deployments.get(name);
    if (!record) return { status: 404, body: notFound('deployments', 'apps', name) };
    if (!scale) {
      return method === 'GET' ? { status: 200, body: deploymentJson(cluster, record) } : methodNotAllowed(method);
    }
    if (method === 'GET') return { status: 200, body: scaleJson(cluster, record) };
    let requested: unknown;
    if (method === 'PUT') {
      const scaleBody = body as { metadata?: { name?: string; resourceVersion?: string }; spec?: { replicas?: unknown } } | undefined;
      if (scaleBody?.metadata?.name !== undefined && scaleBody.metadata.name !== name) {
        return { status: 400, body: kubeStatus(400, 'BadRequest', `the name of the object (${scaleBody.metadata.name}) does not match the name on the URL (${name})`) };
      }
      const resourceVersion = scaleBody?.metadata?.resourceVersion;
      if (resourceVersion && resourceVersion !== record.resourceVersion) {
        return { status: 409, body: conflict('deployments', 'apps', name) };
      }
      requested = scaleBody?.spec?.replicas ?? 0;
    } else if (method === 'PATCH') {
      try {
        const current = scaleJson(cluster, record);
        const patched = contentType.startsWith('application/json-patch+json')
          ? applyJsonPatch(current, body)
          : contentType.startsWith('application/merge-patch+json') || contentType.startsWith('application/strategic-merge-patch+json')
            ? applyMergePatch(current, body)
            : undefined;
        if (patched === undefined) {
          return { status: 415, body: kubeStatus(415, 'UnsupportedMediaType', `the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/strategic-merge-patch+json (got ${contentType})`) };
        }
        requested = (patched as { spec?: { replicas?: unknown } }).spec?.replicas ?? 0;
      } catch (error) {
        if (error instanceof PatchError) return { status: 422, body: kubeStatus(422, 'Invalid', error.message) };
        throw error;
      }
    } else {
      return methodNotAllowed(method);
    }
    if (typeof requested !== 'number' || !Number.isInteger(requested) || requested < 0) {
      return { status: 422, body: kubeStatus(422, 'Invalid', `Scale.autoscaling "${name}" is invalid: spec.replicas: Invalid value: ${JSON.stringify(requested)}: must be greater than or equal to 0`) };
    }
    cluster.scale(record, requested);
    await options.onScale?.(name, requested);
    return { status: 200, body: scaleJson(cluster, record) };
  };

  const listPods = (selector: string): Reply => {
    let matches: (labels: Record<string, string>) => boolean;
    try {
      matches = parseLabelSelector(selector);
    } catch (error) {
      return { status: 400, body: kubeStatus(400, 'BadRequest', (error as Error).message) };
    }
    const items = [...cluster.pods.values()]
      .filter((pod) => matches(pod.labels))
      .map((pod) => podJson(cluster, pod, cluster.deployments.get(pod.deployment)!));
    return { status: 200, body: { kind: 'PodList', apiVersion: 'v1', metadata: { resourceVersion: cluster.nextVersion() }, items } };
  };

  const server = createServer((request, response) => {
    void serve(request, response);
  });

  const serve = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const url = new URL(request.url ?? '/', 'http://stand-in');
    const method = request.method ?? 'GET';
    const contentType = request.headers['content-type'];
    let body: unknown;
    let reply: Reply;
    try {
      const text = await readBody(request);
      try {
        body = text ? (JSON.parse(text) as unknown) : undefined;
      } catch {
        reply = { status: 400, body: kubeStatus(400, 'BadRequest', `the request body is not JSON: ${text.slice(0, 100)}`) };
      }
      reply ??= await route(method, url.pathname, url.searchParams, contentType ?? '', body);
    } catch (error) {
      reply = { status: 500, body: kubeStatus(500, 'InternalError', error instanceof Error ? error.message : String(error)) };
    }
    log.push({ method, path: url.pathname, query: Object.fromEntries(url.searchParams), contentType, status: reply.status, body });
    const payload = JSON.stringify(reply.body);
    response.writeHead(reply.status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) });
    response.end(payload);
  };

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    deployments: () =>
      [...cluster.deployments.values()].map((record) => ({
        name: record.name,
        replicas: record.replicas,
        readyReplicas: cluster.podsOf(record).filter((pod) => pod.ready && !pod.deletionTimestamp).length,
        generation: record.generation,
      })),
    pods: () =>
      [...cluster.pods.values()].map((pod) => ({
        name: pod.name,
        deployment: pod.deployment,
        labels: { ...pod.labels },
        ready: pod.ready,
        terminating: pod.deletionTimestamp !== undefined,
      })),
    leases: () => leases.all(),
    requests: () => [...log],
    updateLease: (name, mutate) => leases.update(name, mutate),
    deleteLease: (name) => leases.delete(name),
    failNext: (count, status = 503) => {
      failures = { count, status };
    },
    close: async () => {
      cluster.dispose();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function methodNotAllowed(method: string): Reply {
  return { status: 405, body: kubeStatus(405, 'MethodNotAllowed', `the server does not allow this method on the requested resource (${method})`) };
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
