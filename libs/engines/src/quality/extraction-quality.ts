import type { Profile } from '@introeval/contracts';

/**
 * How well an extracted profile matches a labelled one: the scoring behind `npm run bench -- quality` (rules in
 * libs/engines/fixtures/intros/README.md). Single values are compared after normalisation, free text (list items,
 * the career goal) by token-set similarity with a one-to-one pairing of items.
 */

/** Fields compared by normalised exact match. */
export const EXACT_FIELDS = ['name', 'degree', 'major', 'institution', 'graduationYear', 'yearOfStudy'] as const;
/** Free-text fields compared by token-set similarity (a single value counts as a list of one). */
export const FUZZY_FIELDS = ['skills', 'projects', 'experience', 'achievements', 'hobbies', 'strengths', 'careerGoal'] as const;
export const QUALITY_FIELDS = [...EXACT_FIELDS, ...FUZZY_FIELDS] as const;
export type QualityField = (typeof QUALITY_FIELDS)[number];

/** Two free-text items match at this Dice similarity of their stem sets: one shared word of two (0.5) is not enough. */
export const FUZZY_MATCH_THRESHOLD = 0.6;

export interface MatchCounts {
  /** Correct extracted values. */
  tp: number;
  /** Extracted values that are wrong or not expected. */
  fp: number;
  /** Expected values that were not extracted correctly. */
  fn: number;
}

export interface FieldScore extends MatchCounts {
  /** null where nothing was extracted (precision undefined). */
  precision: number | null;
  /** null where nothing was expected (recall undefined). */
  recall: number | null;
  /** 2tp / (2tp + fp + fn); null only when the field was neither expected nor extracted anywhere. */
  f1: number | null;
}

export type ProfileCounts = Record<QualityField, MatchCounts>;

/** Per-field counts for one introduction. */
export function compareProfiles(expected: Profile, actual: Profile, threshold = FUZZY_MATCH_THRESHOLD): ProfileCounts {
  const counts = {} as ProfileCounts;
  for (const field of EXACT_FIELDS) counts[field] = compareExact(field, expected[field], actual[field]);
  for (const field of FUZZY_FIELDS) {
    const asList = (v: string | string[] | null): string[] => (v === null ? [] : Array.isArray(v) ? v : [v]);
    counts[field] = compareLists(asList(expected[field]), asList(actual[field]), threshold);
  }
  return counts;
}

/** Pools counts over introductions (micro-average). */
export function addCounts(total: ProfileCounts | null, next: ProfileCounts): ProfileCounts {
  const sum = {} as ProfileCounts;
  for (const field of QUALITY_FIELDS) {
    const a = total?.[field] ?? { tp: 0, fp: 0, fn: 0 };
    const b = next[field];
    sum[field] = { tp: a.tp + b.tp, fp: a.fp + b.fp, fn: a.fn + b.fn };
  }
  return sum;
}

/** Precision, recall and F1 from pooled counts. */
export function fieldScore({ tp, fp, fn }: MatchCounts): FieldScore {
  return {
    tp,
    fp,
    fn,
    precision: tp + fp > 0 ? tp / (tp + fp) : null,
    recall: tp + fn > 0 ? tp / (tp + fn) : null,
    f1: tp + fp + fn > 0 ? (2 * tp) / (2 * tp + fp + fn) : null,
  };
}

function compareExact(field: (typeof EXACT_FIELDS)[number], expected: string | number | null, actual: string | number | null): MatchCounts {
  if (expected === null && actual === null) return { tp: 0, fp: 0, fn: 0 };
  if (expected === null) return { tp: 0, fp: 1, fn: 0 };
  if (actual === null) return { tp: 0, fp: 0, fn: 1 };
  return sameValue(field, expected, actual) ? { tp: 1, fp: 0, fn: 0 } : { tp: 0, fp: 1, fn: 1 };
}

function compareLists(expected: readonly string[], actual: readonly string[], threshold: number): MatchCounts {
  const pairs = matchItems(expected, actual, threshold).length;
  return { tp: pairs, fp: actual.length - pairs, fn: expected.length - pairs };
}

/** Whether two values of an exact field are the same after normalisation. */
export function sameValue(field: (typeof EXACT_FIELDS)[number], expected: string | number, actual: string | number): boolean {
  if (typeof expected === 'number' || typeof actual === 'number') return expected === actual;
  switch (field) {
    case 'degree':
      return canonicalDegree(expected) === canonicalDegree(actual);
    case 'institution':
      return canonicalInstitution(expected) === canonicalInstitution(actual);
    case 'major':
      return canonicalMajor(expected) === canonicalMajor(actual);
    case 'name':
    case 'graduationYear':
    case 'yearOfStudy':
      return plain(expected) === plain(actual);
  }
}

/** Lowercase words without punctuation: "D'Souza,  Nikhil" -> "dsouza nikhil". */
function plain(text: string): string {
  return text
    .toLowerCase()
    .replace(/&/g, ' and ')
    .replace(/['\u2019.]/g, '')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

const DEGREE_ALIASES: Record<string, string> = {
  bacheloroftechnology: 'btech',
  bachelorofengineering: 'be',
  masteroftechnology: 'mtech',
  masterofengineering: 'me',
  masterofcomputerapplications: 'mca',
  masterofcomputerapplication: 'mca',
  bachelorofcomputerapplications: 'bca',
  bachelorofcomputerapplication: 'bca',
  bs: 'bsc',
  bachelorofscience: 'bsc',
  ms: 'msc',
  masterofscience: 'msc',
  masterofbusinessadministration: 'mba',
  bachelorofbusinessadministration: 'bba',
  bachelorofcommerce: 'bcom',
  bachelorofarts: 'ba',
  masterofarts: 'ma',
  doctorate: 'phd',
  doctorofphilosophy: 'phd',
  master: 'masters',
  mastersdegree: 'masters',
  bachelor: 'bachelors',
  bachelorsdegree: 'bachelors',
};

/** "B.Tech", "BTech", "Bachelor of Technology" -> "btech"; "BSc (Hons)" -> "bsc"; "MS" -> "msc". */
export function canonicalDegree(degree: string): string {
  const squashed = plain(degree)
    .replace(/\b(?:hons|honours|honors)\b/g, '')
    .replace(/\s+/g, '');
  return DEGREE_ALIASES[squashed] ?? squashed;
}

/** Expansions of acronyms that institutions are known by; the acronym is the canonical form. */
const INSTITUTION_ACRONYMS: ReadonlyArray<[RegExp, string]> = [
  [/^indian institute of information technology\b/, 'iiit'],
  [/^indian institute of technology\b/, 'iit'],
  [/^national institute of technology\b/, 'nit'],
  [/^birla institute of technology and science\b/, 'bits'],
  [/^indian institute of science\b/, 'iisc'],
  [/^indian institute of management\b/, 'iim'],
  [/^jawaharlal nehru technological university\b/, 'jntu'],
  [/^vellore institute of technology\b/, 'vit'],
  [/^massachusetts institute of technology\b/, 'mit'],
];

/** "The National Institute of Technology, Trichy" -> "nit trichy"; "Saint Joseph's" -> "st josephs". */
export function canonicalInstitution(institution: string): string {
  let text = plain(institution)
    .replace(/^the /, '')
    .replace(/\bsaint\b/g, 'st');
  for (const [pattern, acronym] of INSTITUTION_ACRONYMS) text = text.replace(pattern, acronym);
  return text;
}

const MAJOR_ALIASES: Record<string, string> = {
  cse: 'computer science and engineering',
  'computer science engineering': 'computer science and engineering',
  cs: 'computer science',
  ece: 'electronics and communication engineering',
  eee: 'electrical and electronics engineering',
  it: 'information technology',
  mech: 'mechanical engineering',
  'ai and ml': 'artificial intelligence and machine learning',
  'ai and ds': 'artificial intelligence and data science',
};

/** "CSE" -> "computer science and engineering"; "Electronics & Communication Engineering" -> "... and ...". */
export function canonicalMajor(major: string): string {
  const text = plain(major);
  return MAJOR_ALIASES[text] ?? text;
}

/**
 * The largest one-to-one pairing of expected and actual items whose similarity reaches `threshold`
 * (maximum bipartite matching, Kuhn's augmenting paths: lists are short). Returns [expectedIndex, actualIndex].
 */
export function matchItems(expected: readonly string[], actual: readonly string[], threshold = FUZZY_MATCH_THRESHOLD): Array<[number, number]> {
  const candidates = expected.map((e) =>
    actual.map((a, j) => ({ j, similarity: tokenSimilarity(e, a) }))
      .filter((c) => c.similarity >= threshold)
      .sort((x, y) => y.similarity - x.similarity)
      .map((c) => c.j),
  );
  const ownerOf = new Array<number>(actual.length).fill(-1);
  const assign = (i: number, visited: boolean[]): boolean => {
    for (const j of candidates[i]) {
      if (visited[j]) continue;
      visited[j] = true;
      if (ownerOf[j] < 0 || assign(ownerOf[j], visited)) {
        ownerOf[j] = i;
        return true;
      }
    }
    return false;
  };
  for (let i = 0; i < expected.length; i++) assign(i, new Array<boolean>(actual.length).fill(false));
  return ownerOf.flatMap((i, j) => (i >= 0 ? [[i, j] as [number, number]] : [])).sort((a, b) => a[0] - b[0]);
}

/** Dice coefficient of the two items' content-stem sets, 0..1. */
export function tokenSimilarity(a: string, b: string): number {
  // "hard working" / "hardworking", "Solid Works" / "SolidWorks": one word written as two.
  const squash = (s: string): string => s.toLowerCase().replace(/[^\p{L}\p{N}+#]/gu, '');
  if (squash(a) !== '' && squash(a) === squash(b)) return 1;
  const x = contentStems(a);
  const y = contentStems(b);
  if (x.size === 0 || y.size === 0) return 0;
  let shared = 0;
  for (const stem of x) if (y.has(stem)) shared++;
  return (2 * shared) / (x.size + y.size);
}

const STOP_WORDS = new Set(
  (
    'a an the of in at on for and or to from by with as into about over during that this these those which who ' +
    'whom where when is was were be been being am are i my our we me us his her their its it using use used via'
  ).split(' '),
);
const NUMBER_WORDS: Record<string, string> = {
  one: '1', two: '2', three: '3', four: '4', five: '5', six: '6', seven: '7', eight: '8', nine: '9', ten: '10',
  first: '1', second: '2', third: '3', fourth: '4', fifth: '5', '1st': '1', '2nd': '2', '3rd': '3', '4th': '4', '5th': '5',
};

/** The set of content-word stems of an item: what token-set similarity compares. */
export function contentStems(text: string): Set<string> {
  const words = text
    .toLowerCase()
    .replace(/c\+\+/g, ' cplusplus ')
    .replace(/c#/g, ' csharp ')
    .replace(/\.net\b/g, ' dotnet ')
    .replace(/\b(\w+)\.js\b/g, '$1js')
    .replace(/&/g, ' and ')
    .replace(/['\u2019]/g, '')
    .split(/[^\p{L}\p{N}]+/u)
    .filter((w) => w.length > 0 && !STOP_WORDS.has(w));
  return new Set(words.map((w) => NUMBER_WORDS[w] ?? stem(w)));
}

/**
 * A light suffix stripper, enough to equate the forms an introduction uses ("predicts", "prediction",
 * "organised", "organized", "travelling", "traveling", "dance", "dancing"); not a linguistic stemmer.
 */
export function stem(word: string): string {
  if (word.length <= 3 || /\d/.test(word)) return word;
  let w = word.replace(/is(e|ed|es|ing|ation|ations)$/, 'iz$1');
  const rules: ReadonlyArray<[RegExp, string]> = [
    [/ations?$/, ''],
    [/ions?$/, ''],
    [/ings?$/, ''],
    [/ies$/, 'y'],
    [/ied$/, 'y'],
    [/(?<=[sxz]|ch|sh)es$/, ''],
    [/(?<!s)s$/, ''],
    [/ed$/, ''],
  ];
  for (const [suffix, replacement] of rules) {
    const next = w.replace(suffix, replacement);
    if (next !== w && next.length >= 3) {
      w = next.replace(/([b-df-hj-np-tv-z])\1$/, '$1'); // "runn(ing)" -> "run", "travell(ing)" -> "travel"
      break;
    }
  }
  if (w.length > 3) w = w.replace(/e$/, ''); // "dance" / "danc(ing)"
  return w;
}
