import { describe, expect, it } from '@jest/globals';
import { headingItems, headingValue } from './headings.js';
import { captureClause, joinSpelledLetters, prepareText, splitList } from './text-tools.js';

describe('joinSpelledLetters', () => {
  it.each([
    ['n i t patna', 'nit patna'],
    ['j n t u kakinada', 'jntu kakinada'],
    ['eight point two c g p a', 'eight point two cgpa'],
    ['at i i t bombay', 'at iit bombay'],
    ['using i o t i have', 'using iot i have'],
    ['a b tech student', 'a b tech student'],
    ['i t help desk', 'i t help desk'],
    ['j. n. t. u.', 'jntu'],
  ])('%s -> %s', (spoken, joined) => {
    expect(joinSpelledLetters(spoken)).toBe(joined);
  });

  it('is applied to ASR text only, and written text keeps its line breaks', () => {
    expect(prepareText('from n i t patna').original).toBe('from nit patna');
    expect(prepareText('From N I T Patna').original).toBe('From N I T Patna');
    expect(prepareText('Name: A  B\n\n  Skills:  C').original).toBe('Name: A B\nSkills: C');
  });
});

describe('captureClause', () => {
  it('continues past a comma only into a participle when asked', () => {
    const t = prepareText('I work at Fractal Analytics, building demand forecasting models. I like tea.');
    const from = t.lower.indexOf('at ');
    expect(captureClause(t, from, { maxWords: 16, commaEnds: true })?.text).toBe('at Fractal Analytics');
    expect(captureClause(t, from, { maxWords: 16, commaEnds: true, throughParticiple: true })?.text).toBe(
      'at Fractal Analytics, building demand forecasting models',
    );
  });
});

describe('splitList', () => {
  it('drops fillers and hedges at the start of items', () => {
    expect(splitList('C, Verilog and a little bit of Python')).toEqual(['C', 'Verilog', 'Python']);
    expect(splitList('i am honest and hard working')).toEqual(['honest', 'hard working']);
  });
});

describe('headings', () => {
  const t = prepareText('Name: Kavya\nSkills: Python, Git\nProjects: sign language recognition; crowd counting, from CCTV\nGoal: to work on research');
  it('reads "Label: value" lines and splits their items', () => {
    expect(headingItems(t, 'skills')).toEqual(['Python', 'Git']);
    expect(headingItems(t, 'projects')).toEqual(['sign language recognition', 'crowd counting, from CCTV']);
    expect(headingValue(t, 'careerGoal')?.text).toBe('to work on research');
    expect(headingValue(t, 'hobbies')).toBeNull();
  });
});
