import { describe, expect, it } from '@jest/globals';
import { applyJsonPatch, applyMergePatch, PatchError } from './json-patch.js';

describe('patches (kube stand-in)', () => {
  const scale = { kind: 'Scale', spec: { replicas: 1 }, status: { replicas: 1 } };

  it('merge patch replaces nested values and deletes nulls', () => {
    expect(applyMergePatch(scale, { spec: { replicas: 0 }, status: null })).toEqual({ kind: 'Scale', spec: { replicas: 0 } });
  });

  it('json patch replaces and tests, leaving the input untouched', () => {
    const patched = applyJsonPatch(scale, [
      { op: 'test', path: '/spec/replicas', value: 1 },
      { op: 'replace', path: '/spec/replicas', value: 3 },
    ]);
    expect(patched).toEqual({ ...scale, spec: { replicas: 3 } });
    expect(scale.spec.replicas).toBe(1);
  });

  it('json patch fails a failed test and a replace of a missing path', () => {
    expect(() => applyJsonPatch(scale, [{ op: 'test', path: '/spec/replicas', value: 2 }])).toThrow(PatchError);
    expect(() => applyJsonPatch(scale, [{ op: 'replace', path: '/spec/paused', value: true }])).toThrow(/does not exist/);
    expect(() => applyJsonPatch(scale, { op: 'replace' })).toThrow(/array/);
  });
});
