import { describe, expect, it } from '@jest/globals';
import { labelSelectorQuery } from './label-selector.js';

describe('labelSelectorQuery', () => {
  it('joins matchLabels as equality terms', () => {
    expect(labelSelectorQuery({ matchLabels: { app: 'ollama-extract', 'introeval.io/node': 'gpu-0' } })).toBe(
      'app=ollama-extract,introeval.io/node=gpu-0',
    );
  });

  it('writes every matchExpressions operator in the query syntax', () => {
    expect(
      labelSelectorQuery({
        matchLabels: { app: 'speaches' },
        matchExpressions: [
          { key: 'tier', operator: 'In', values: ['gpu', 'edge'] },
          { key: 'canary', operator: 'NotIn', values: ['true'] },
          { key: 'introeval.io/group', operator: 'Exists' },
          { key: 'legacy', operator: 'DoesNotExist' },
        ],
      }),
    ).toBe('app=speaches,tier in (gpu,edge),canary notin (true),introeval.io/group,!legacy');
  });

  it('refuses an empty selector, which would count every pod in the namespace', () => {
    expect(() => labelSelectorQuery({})).toThrow(/empty selector/);
    expect(() => labelSelectorQuery(undefined)).toThrow(/empty selector/);
  });

  it('refuses an operator it does not know instead of dropping the term', () => {
    expect(() => labelSelectorQuery({ matchExpressions: [{ key: 'a', operator: 'Gt', values: ['1'] }] })).toThrow(/"Gt"/);
  });
});
