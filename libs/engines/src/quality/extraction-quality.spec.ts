import { describe, expect, it } from '@jest/globals';
import { emptyProfile } from '@introeval/contracts';
import {
  addCounts,
  canonicalDegree,
  canonicalInstitution,
  canonicalMajor,
  compareProfiles,
  contentStems,
  fieldScore,
  matchItems,
  sameValue,
  stem,
  tokenSimilarity,
} from './extraction-quality.js';

describe('stem', () => {
  it.each([
    ['predicts', 'predict'],
    ['prediction', 'predict'],
    ['predicting', 'predict'],
    ['organised', 'organiz'],
    ['organized', 'organiz'],
    ['travelling', 'travel'],
    ['traveling', 'travel'],
    ['dancing', 'danc'],
    ['dance', 'danc'],
    ['trekking', 'trek'],
    ['images', 'imag'],
    ['business', 'business'],
    ['2023', '2023'],
  ])('%s -> %s', (word, expected) => {
    expect(stem(word)).toBe(expected);
  });
});

describe('contentStems', () => {
  it('drops stop words, maps number words and keeps C, C++, C# and Node.js apart', () => {
    expect([...contentStems('The first prize at a hackathon')]).toEqual(['1', 'priz', 'hackathon']);
    expect([...contentStems('C')]).toEqual(['c']);
    expect([...contentStems('C++')]).toEqual(['cplusplu']);
    expect(tokenSimilarity('C', 'C++')).toBe(0);
    expect(tokenSimilarity('C#', 'C++')).toBe(0);
    expect(tokenSimilarity('Node.js', 'nodejs')).toBe(1);
  });
});

describe('tokenSimilarity', () => {
  it('is the Dice coefficient of the stem sets', () => {
    expect(tokenSimilarity('playing chess', 'Chess')).toBeCloseTo(2 / 3);
    expect(tokenSimilarity('playing cricket', 'playing chess')).toBe(0.5);
    expect(tokenSimilarity('Machine Learning', 'Deep Learning')).toBe(0.5);
    expect(tokenSimilarity('Formula 1', 'formula one')).toBe(1);
    expect(tokenSimilarity('hard working', 'hardworking')).toBe(1);
    expect(tokenSimilarity('', 'anything')).toBe(0);
  });

  it('accepts a longer capture of the same project and rejects a different one', () => {
    const expected = 'diabetic retinopathy detection from retinal images using deep learning';
    expect(tokenSimilarity(expected, 'system that detects diabetic retinopathy from retinal images using deep learning')).toBeGreaterThan(0.9);
    expect(tokenSimilarity(expected, 'crop price prediction using machine learning')).toBeLessThan(0.3);
  });
});

describe('matchItems', () => {
  it('pairs items one-to-one: a single extracted item cannot match two expected ones', () => {
    expect(matchItems(['chess', 'playing chess'], ['chess'])).toHaveLength(1);
    expect(matchItems(['Python', 'Java'], ['Java', 'Go', 'Python'])).toEqual([
      [0, 2],
      [1, 0],
    ]);
  });

  it('finds the largest pairing where a greedy best-first pairing would not', () => {
    // "web app" fits both actual items, "booking web app" only the first: greedy would give the first to
    // "web app" (its better match) and leave "booking web app" unpaired.
    const expected = ['web app', 'booking web app'];
    const actual = ['booking web app', 'web app for student lists'];
    expect(tokenSimilarity('web app', 'booking web app')).toBeGreaterThan(tokenSimilarity('web app', 'web app for student lists'));
    expect(tokenSimilarity('booking web app', 'web app for student lists')).toBeLessThan(0.6);
    expect(matchItems(expected, actual)).toEqual([
      [0, 1],
      [1, 0],
    ]);
  });

  it('honours the threshold', () => {
    expect(matchItems(['playing cricket'], ['playing chess'])).toEqual([]);
    expect(matchItems(['playing cricket'], ['playing chess'], 0.5)).toEqual([[0, 0]]);
  });
});

describe('normalised exact match', () => {
  it('treats degree spellings and abbreviations alike', () => {
    for (const spelling of ['B.Tech', 'BTech', 'b tech', 'Bachelor of Technology']) expect(canonicalDegree(spelling)).toBe('btech');
    expect(canonicalDegree('BSc (Hons)')).toBe('bsc');
    expect(canonicalDegree('M.S.')).toBe('msc');
    expect(canonicalDegree('Master of Science')).toBe('msc');
    expect(canonicalDegree("Master's")).toBe('masters');
    expect(canonicalDegree('B.E.')).not.toBe(canonicalDegree('B.Tech'));
    expect(canonicalDegree('M.E.')).not.toBe(canonicalDegree('MSc'));
  });

  it('knows institution acronyms, "the" and punctuation', () => {
    expect(canonicalInstitution('the National Institute of Technology, Trichy')).toBe('nit trichy');
    expect(canonicalInstitution('NIT Trichy')).toBe('nit trichy');
    expect(canonicalInstitution('Indian Institute of Science')).toBe(canonicalInstitution('IISc'));
    expect(canonicalInstitution('Indian Institute of Information Technology Hyderabad')).toBe('iiit hyderabad');
    expect(canonicalInstitution("Saint Joseph's College")).toBe(canonicalInstitution("St. Joseph's College"));
    expect(canonicalInstitution('NIT Trichy')).not.toBe(canonicalInstitution('NIT'));
  });

  it('expands major abbreviations', () => {
    expect(canonicalMajor('ECE')).toBe(canonicalMajor('Electronics & Communication Engineering'));
    expect(canonicalMajor('IT')).toBe('information technology');
    expect(canonicalMajor('Computer Science')).not.toBe(canonicalMajor('Computer Science and Engineering'));
  });

  it('compares names and numbers plainly', () => {
    expect(sameValue('name', "Nikhil D'Souza", 'nikhil dsouza')).toBe(true);
    expect(sameValue('name', 'Nikhil', 'Nikhil D Souza')).toBe(false);
    expect(sameValue('graduationYear', 2025, 2025)).toBe(true);
    expect(sameValue('graduationYear', 2025, 2026)).toBe(false);
  });
});

describe('compareProfiles and fieldScore', () => {
  const expected = {
    ...emptyProfile(),
    name: 'Priya Raghavan',
    degree: 'B.Tech',
    institution: 'NIT Trichy',
    skills: ['Python', 'Java', 'SQL'],
    careerGoal: 'work as a machine learning engineer',
  };

  it('counts a wrong value as both a false positive and a false negative', () => {
    const counts = compareProfiles(expected, {
      ...emptyProfile(),
      name: 'Priya',
      degree: 'Bachelor of Technology',
      major: 'Computer Science',
      skills: ['Python', 'SQL', 'React'],
      careerGoal: 'I want to work as a machine learning engineer at a product company',
    });
    expect(counts.name).toEqual({ tp: 0, fp: 1, fn: 1 });
    expect(counts.degree).toEqual({ tp: 1, fp: 0, fn: 0 });
    expect(counts.major).toEqual({ tp: 0, fp: 1, fn: 0 }); // extracted where none is expected
    expect(counts.institution).toEqual({ tp: 0, fp: 0, fn: 1 }); // expected, not extracted
    expect(counts.graduationYear).toEqual({ tp: 0, fp: 0, fn: 0 });
    expect(counts.skills).toEqual({ tp: 2, fp: 1, fn: 1 });
    expect(counts.careerGoal).toEqual({ tp: 1, fp: 0, fn: 0 });
  });

  it('pools counts over introductions and scores them', () => {
    const perfect = compareProfiles(expected, expected);
    const empty = compareProfiles(expected, emptyProfile());
    const pooled = addCounts(addCounts(null, perfect), empty);
    expect(pooled.skills).toEqual({ tp: 3, fp: 0, fn: 3 });
    expect(fieldScore(pooled.skills)).toEqual({ tp: 3, fp: 0, fn: 3, precision: 1, recall: 0.5, f1: 2 / 3 });
    expect(fieldScore({ tp: 0, fp: 0, fn: 2 })).toEqual({ tp: 0, fp: 0, fn: 2, precision: null, recall: 0, f1: 0 });
    expect(fieldScore({ tp: 0, fp: 0, fn: 0 }).f1).toBeNull();
  });
});
