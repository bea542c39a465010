import { wordErrorRate } from './wer.js';

describe('wordErrorRate', () => {
  it('counts substitutions, deletions and insertions against the reference length', () => {
    expect(wordErrorRate('the cat sat on the mat', 'the cat sat on the mat')).toBe(0);
    expect(wordErrorRate('the cat sat on the mat', 'the bat sat on mat')).toBeCloseTo(2 / 6, 10);
    expect(wordErrorRate('a b', 'a x b y')).toBe(1);
  });

  it('ignores case and punctuation', () => {
    expect(wordErrorRate('Hello, World!', 'hello world')).toBe(0);
  });

  it('handles empty texts', () => {
    expect(wordErrorRate('', '')).toBe(0);
    expect(wordErrorRate('one two', '')).toBe(1);
  });
});
