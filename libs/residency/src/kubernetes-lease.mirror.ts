import type { V1Lease } from '@kubernetes/client-node';
import { ErrorCode, IntroEvalError } from '@introeval/contracts';
import type { KubeClients } from './kube-clients.js';
import { abortable, isKubeConnectionError, kubeErrorMessage, kubeStatusCode } from './kube-request.js';
import { leaseObject, type LeaseSnapshot } from './lease-object.js';

export interface KubernetesLeaseMirrorOptions {
  client: Pick<KubeClients, 'coordination'>;
  namespace: string;
  /** The Lease's name, e.g. `introeval-gpu-<node>`. */
  name: string;
  /** Writes tried per `mirror` call when someone else changed the Lease in between (409) or deleted it. Default 5. */
  maxAttempts?: number;
  /** Limit for each request to the API server. Default 10 s. */
  requestTimeoutMs?: number;
}

/**
 * Mirrors a node's GPU phase lease into a `coordination.k8s.io/v1` Lease so that `kubectl get lease` shows who
 * holds the GPU and for which phase. The KV lease stays the truth; this is a read-only view for people and tools.
 * Writes are replaces with the last seen `resourceVersion` (the API server's compare-and-set): on 409 the Lease is
 * read again and the write retried. Calls are applied one after another in call order.
 */
export class KubernetesLeaseMirror {
  private readonly coordination: KubeClients['coordination'];
  private readonly namespace: string;
  private readonly name: string;
  private readonly maxAttempts: number;
  private readonly requestTimeoutMs: number;
  /** The Lease as last written or read; its resourceVersion makes the next replace conditional. */
  private known: V1Lease | undefined;
  private tail: Promise<unknown> = Promise.resolve();

  constructor(options: KubernetesLeaseMirrorOptions) {
    this.coordination = options.client.coordination;
    this.namespace = options.namespace;
    this.name = options.name;
    this.maxAttempts = options.maxAttempts ?? 5;
    this.requestTimeoutMs = options.requestTimeoutMs ?? 10_000;
  }

  /** Writes `lease` into the Lease object, creating it when missing. Rejects with an IntroEvalError on failure. */
  mirror(lease: LeaseSnapshot): Promise<void> {
    const run = this.tail.then(() => this.write(lease));
    this.tail = run.catch(() => undefined);
    return run;
  }

  private async write(lease: LeaseSnapshot): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        const current = this.known ?? (await this.read());
        const body = leaseObject(this.namespace, this.name, lease, new Date(), current);
        this.known = current
          ? await this.coordination.replaceNamespacedLease({ name: this.name, namespace: this.namespace, body }, this.options())
          : await this.coordination.createNamespacedLease({ namespace: this.namespace, body }, this.options());
        return;
      } catch (error) {
        this.known = undefined;
        // 409: someone changed it since we read it (replace) or created it first (create); 404: it was deleted.
        const status = kubeStatusCode(error);
        if ((status === 409 || status === 404) && attempt < this.maxAttempts) continue;
        throw this.failure(error, attempt);
      }
    }
  }

  private async read(): Promise<V1Lease | undefined> {
    try {
      return await this.coordination.readNamespacedLease({ name: this.name, namespace: this.namespace }, this.options());
    } catch (error) {
      if (kubeStatusCode(error) === 404) return undefined;
      throw error;
    }
  }

  private options() {
    return abortable(AbortSignal.timeout(this.requestTimeoutMs));
  }

  private failure(error: unknown, attempts: number): Error {
    const status = kubeStatusCode(error);
    // A request cut by requestTimeoutMs is as transient as one that could not connect.
    const unanswered = isKubeConnectionError(error) || (error instanceof Error && error.name === 'AbortError');
    if (status === undefined && !unanswered) return error instanceof Error ? error : new Error(String(error));
    const message = `mirroring the GPU lease into Lease ${this.namespace}/${this.name} failed after ${attempts} attempt(s): ${kubeErrorMessage(error)}`;
    const transient = status === undefined || status === 409 || status === 429 || status >= 500;
    return transient
      ? new IntroEvalError(ErrorCode.Unavailable, message, false, { cause: error })
      : IntroEvalError.permanent(ErrorCode.ResidencyRefused, message, error);
  }
}
