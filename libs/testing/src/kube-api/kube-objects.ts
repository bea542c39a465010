/** Kubernetes metadata times: RFC 3339 in whole seconds, as the API server writes them. */
export function kubeTime(date = new Date()): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** Lease times are MicroTime: the API server reads exactly six fractional digits and refuses anything else. */
export const MICRO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}(Z|[+-]\d{2}:\d{2})$/;

export interface KubeStatus {
  kind: 'Status';
  apiVersion: 'v1';
  metadata: Record<string, never>;
  status: 'Failure';
  message: string;
  reason: string;
  details?: { name?: string; group?: string; kind?: string };
  code: number;
}

/** A failure answer, shaped like the API server's `Status` object (which the client hands back in ApiException.body). */
export function kubeStatus(code: number, reason: string, message: string, details?: KubeStatus['details']): KubeStatus {
  return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, ...(details ? { details } : {}), code };
}

/** `leases.coordination.k8s.io "x" not found`, the API server's wording. */
export function notFound(resource: string, group: string, name: string): KubeStatus {
  const qualified = group ? `${resource}.${group}` : resource;
  return kubeStatus(404, 'NotFound', `${qualified} "${name}" not found`, { name, group, kind: resource });
}

export function conflict(resource: string, group: string, name: string): KubeStatus {
  const qualified = group ? `${resource}.${group}` : resource;
  return kubeStatus(
    409,
    'Conflict',
    `Operation cannot be fulfilled on ${qualified} "${name}": the object has been modified; please apply your changes to the latest version and try again`,
    { name, group, kind: resource },
  );
}

export function alreadyExists(resource: string, group: string, name: string): KubeStatus {
  const qualified = group ? `${resource}.${group}` : resource;
  return kubeStatus(409, 'AlreadyExists', `${qualified} "${name}" already exists`, { name, group, kind: resource });
}

export function badRequest(message: string): KubeStatus {
  return kubeStatus(400, 'BadRequest', message);
}

export function invalid(resource: string, name: string, message: string): KubeStatus {
  return kubeStatus(422, 'Invalid', `${resource} "${name}" is invalid: ${message}`, { name, kind: resource });
}
