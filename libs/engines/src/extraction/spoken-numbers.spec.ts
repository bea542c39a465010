import { normalizeSpokenYears } from './spoken-numbers.js';

describe('normalizeSpokenYears', () => {
  it.each([
    ['graduating in twenty twenty five', 'graduating in 2025'],
    ['class of twenty twenty-four.', 'class of 2024.'],
    ['in two thousand and twenty four and', 'in 2024 and'],
    ['two thousand nine', '2009'],
    ['born in nineteen ninety nine', 'born in 1999'],
    ['twenty oh five', '2005'],
    ['twenty nineteen', '2019'],
  ])('%s -> %s', (spoken, digits) => {
    expect(normalizeSpokenYears(spoken)).toBe(digits);
  });

  it('leaves ages and sentence breaks alone', () => {
    expect(normalizeSpokenYears('i am twenty five years old')).toBe('i am twenty five years old');
    expect(normalizeSpokenYears('i was twenty. twenty five people came')).toBe('i was twenty. twenty five people came');
  });
});
