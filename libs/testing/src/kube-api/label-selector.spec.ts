import { describe, expect, it } from '@jest/globals';
import { parseLabelSelector } from './label-selector.js';

describe('parseLabelSelector (kube stand-in)', () => {
  const pod = { app: 'ollama', 'introeval.io/node': 'gpu-0', tier: 'gpu' };

  it('matches equality and inequality terms, all of which must hold', () => {
    expect(parseLabelSelector('app=ollama,introeval.io/node=gpu-0')(pod)).toBe(true);
    expect(parseLabelSelector('app==ollama')(pod)).toBe(true);
    expect(parseLabelSelector('app=ollama,introeval.io/node=gpu-1')(pod)).toBe(false);
    expect(parseLabelSelector('app!=speaches')(pod)).toBe(true);
    expect(parseLabelSelector('app!=ollama')(pod)).toBe(false);
  });

  it('matches set-based and existence terms', () => {
    expect(parseLabelSelector('tier in (gpu,edge)')(pod)).toBe(true);
    expect(parseLabelSelector('tier notin (gpu)')(pod)).toBe(false);
    expect(parseLabelSelector('canary notin (true)')(pod)).toBe(true);
    expect(parseLabelSelector('tier,!canary')(pod)).toBe(true);
    expect(parseLabelSelector('canary')(pod)).toBe(false);
  });

  it('refuses what it cannot read instead of matching everything', () => {
    expect(() => parseLabelSelector('app in gpu')).toThrow(/unable to parse/);
  });
});
