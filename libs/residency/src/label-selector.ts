import type { V1LabelSelector } from '@kubernetes/client-node';

/**
 * A Deployment's `spec.selector` as the `labelSelector` query string the pods list takes, so that exactly the
 * Deployment's pods are counted. An empty selector would match every pod in the namespace: refused.
 */
export function labelSelectorQuery(selector: V1LabelSelector | undefined): string {
  const terms: string[] = [];
  for (const [key, value] of Object.entries(selector?.matchLabels ?? {})) terms.push(`${key}=${value}`);
  for (const { key, operator, values = [] } of selector?.matchExpressions ?? []) {
    switch (operator) {
      case 'In':
        terms.push(`${key} in (${values.join(',')})`);
        break;
      case 'NotIn':
        terms.push(`${key} notin (${values.join(',')})`);
        break;
      case 'Exists':
        terms.push(key);
        break;
      case 'DoesNotExist':
        terms.push(`!${key}`);
        break;
      default:
        throw new Error(`unknown label selector operator "${operator}" for key "${key}"`);
    }
  }
  if (terms.length === 0) throw new Error('the Deployment has an empty selector; it would match every pod');
  return terms.join(',');
}
