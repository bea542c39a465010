import {
  ApiException,
  FetchError,
  Observable,
  PatchStrategy,
  setHeaderOptions,
  type ConfigurationOptions,
  type ObservableMiddleware,
} from '@kubernetes/client-node';
import { ErrorCode, IntroEvalError } from '@introeval/contracts';
import type { FailurePolicy } from './deadline.js';

/**
 * Per-call options that make the request abortable. The client's own calls take no signal, but each request
 * context does; a middleware puts it there. Built fresh per call: the client reverses the middleware list of the
 * options it is given in place.
 */
export function abortable(signal: AbortSignal, base?: ConfigurationOptions<ObservableMiddleware>): ConfigurationOptions<ObservableMiddleware> {
  const setSignal: ObservableMiddleware = {
    pre: (context) => {
      context.setSignal(signal);
      return new Observable(Promise.resolve(context));
    },
    post: (response) => new Observable(Promise.resolve(response)),
  };
  return { ...base, middleware: [...(base?.middleware ?? []), setSignal], middlewareMergeStrategy: 'append' };
}

/** Options for a merge-patch call (the client sends json-patch by default), abortable by `signal`. */
export function mergePatch(signal: AbortSignal): ConfigurationOptions<ObservableMiddleware> {
  return abortable(signal, setHeaderOptions('Content-Type', PatchStrategy.MergePatch));
}

/** The HTTP status of a failed Kubernetes call, or undefined when it never got an answer. */
export function kubeStatusCode(error: unknown): number | undefined {
  return error instanceof ApiException ? error.code : undefined;
}

/** The API server's own explanation (the Status object's `message`), rather than the client's multi-line dump. */
export function kubeErrorMessage(error: unknown): string {
  if (error instanceof ApiException) {
    const body: unknown = error.body;
    let message: unknown;
    try {
      message = (typeof body === 'string' ? (JSON.parse(body) as { message?: unknown }) : (body as { message?: unknown }))?.message;
    } catch {
      message = body;
    }
    return `HTTP ${error.code}${typeof message === 'string' && message ? `: ${message}` : ''}`;
  }
  return error instanceof Error ? error.message : String(error);
}

/** fetch never got an answer: the API server (or the network to it) is down, or restarting. */
export function isKubeConnectionError(error: unknown): boolean {
  return error instanceof FetchError && error.type === 'system';
}

/**
 * Retry while the API server cannot be reached or is overloaded (429, 5xx); refuse on anything else (forbidden by
 * RBAC, no such Deployment) with the server's message.
 */
export function kubePolicy(what: string): FailurePolicy {
  return (error) => {
    if (isKubeConnectionError(error)) return 'retry';
    const status = kubeStatusCode(error);
    if (status !== undefined) {
      if (status === 429 || status >= 500) return 'retry';
      return new IntroEvalError(ErrorCode.ResidencyRefused, `${what}: ${kubeErrorMessage(error)}`, true, { cause: error });
    }
    return error instanceof Error ? error : new Error(String(error));
  };
}
