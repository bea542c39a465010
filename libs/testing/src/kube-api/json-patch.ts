/** A patch the stand-in cannot apply; the API server answers such a patch with 422 Unprocessable Entity. */
export class PatchError extends Error {
  override name = 'PatchError';
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** RFC 7386 JSON merge patch: objects merge recursively, null deletes, anything else replaces. */
export function applyMergePatch(target: unknown, patch: unknown): unknown {
  if (!isObject(patch)) return patch;
  const result: Record<string, unknown> = isObject(target) ? { ...target } : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete result[key];
    else result[key] = applyMergePatch(result[key], value);
  }
  return result;
}

interface JsonPatchOp {
  op: string;
  path: string;
  value?: unknown;
}

/** RFC 6902 JSON patch with the operations a scale client sends: add, replace, remove, test. */
export function applyJsonPatch(target: unknown, patch: unknown): unknown {
  if (!Array.isArray(patch)) throw new PatchError('a JSON patch must be an array of operations');
  let document = structuredClone(target) as Json;
  for (const raw of patch as JsonPatchOp[]) {
    if (typeof raw?.op !== 'string' || typeof raw.path !== 'string') throw new PatchError(`invalid operation ${JSON.stringify(raw)}`);
    const tokens = pointer(raw.path);
    if (tokens.length === 0) {
      if (raw.op === 'add' || raw.op === 'replace') document = raw.value as Json;
      else throw new PatchError(`cannot ${raw.op} the whole document`);
      continue;
    }
    const parent = resolve(document, tokens.slice(0, -1), raw.path);
    const key = tokens[tokens.length - 1];
    switch (raw.op) {
      case 'add':
        if (Array.isArray(parent)) parent.splice(key === '-' ? parent.length : Number(key), 0, raw.value as Json);
        else parent[key] = raw.value as Json;
        break;
      case 'replace':
        if (!(key in parent)) throw new PatchError(`replace: ${raw.path} does not exist`);
        (parent as Record<string, Json>)[key] = raw.value as Json;
        break;
      case 'remove':
        if (!(key in parent)) throw new PatchError(`remove: ${raw.path} does not exist`);
        if (Array.isArray(parent)) parent.splice(Number(key), 1);
        else delete parent[key];
        break;
      case 'test':
        if (JSON.stringify((parent as Record<string, Json>)[key]) !== JSON.stringify(raw.value)) {
          throw new PatchError(`test: ${raw.path} is not ${JSON.stringify(raw.value)}`);
        }
        break;
      default:
        throw new PatchError(`unsupported operation "${raw.op}"`);
    }
  }
  return document;
}

function pointer(path: string): string[] {
  if (path === '') return [];
  if (!path.startsWith('/')) throw new PatchError(`"${path}" is not a JSON pointer`);
  return path
    .slice(1)
    .split('/')
    .map((token) => token.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function resolve(document: Json, tokens: string[], path: string): Record<string, Json> | Json[] {
  let node: Json = document;
  for (const token of tokens) {
    node = isObject(node) || Array.isArray(node) ? (node as Record<string, Json>)[token]! : null;
    if (node === undefined || node === null) throw new PatchError(`${path}: parent does not exist`);
  }
  if (!isObject(node) && !Array.isArray(node)) throw new PatchError(`${path}: parent is not an object or array`);
  return node;
}

function isObject(value: unknown): value is Record<string, Json> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
