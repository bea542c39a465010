/**
 * Filler words. Hesitations ("um", "uh") count anywhere; discourse fillers ("like", "you know", "i mean",
 * "basically", "actually") only where they open a clause, because mid-clause they are ordinary words ("I like
 * chess", "I actually built it").
 */
const HESITATIONS = new Set(['um', 'umm', 'uh', 'uhh', 'uhm', 'er', 'erm', 'ah', 'ahh', 'hmm', 'hm', 'mm', 'mhm']);
const CLAUSE_FILLERS: readonly (readonly string[])[] = [['you', 'know'], ['i', 'mean'], ['basically'], ['actually'], ['like']];
/** Words after which the next word opens a clause even without punctuation (ASR text has none). */
const CLAUSE_JOINERS = new Set(['and', 'so', 'but', 'then', 'or']);
const PRONOUNS = new Set(['i', 'we', 'you', 'he', 'she', 'they', 'it', 'so']);
const PUNCTUATION = /^[.,;:!?]$/;

export interface FillerCount {
  fillers: number;
  /** Words in the text (punctuation excluded). */
  words: number;
}

/**
 * Tokens of a text: lowercase words, and sentence/clause punctuation as separate tokens. A dot between letters
 * stays inside the word ("b.tech", "node.js" are one word each).
 */
export function tokenize(text: string): string[] {
  return (
    text
      .toLowerCase()
      .replace(/[\u2018\u2019]/g, "'")
      .match(/[a-z0-9](?:[a-z0-9'+#]|\.(?=[a-z0-9]))*|[.,;:!?]/g) ?? []
  );
}

/** Counts filler words in `text` (written or ASR) and the words they are counted against. */
export function countFillers(text: string): FillerCount {
  const tokens = tokenize(text);
  let fillers = 0;
  let words = 0;
  // Whether the token at i opens a clause: at the start, after punctuation, a joiner, or another filler.
  let clauseStart = true;
  let afterComma = false;
  for (let i = 0; i < tokens.length; ) {
    const token = tokens[i];
    if (PUNCTUATION.test(token)) {
      clauseStart = true;
      afterComma = token === ',';
      i++;
      continue;
    }
    if (HESITATIONS.has(token)) {
      fillers++;
      words++;
      clauseStart = true;
      i++;
      continue;
    }
    const phrase = clauseStart ? CLAUSE_FILLERS.find((p) => p.every((w, k) => tokens[i + k] === w)) : undefined;
    // After a comma "like" usually means "such as" ("sports, like cricket"); it is a filler there only when a
    // pronoun, punctuation or another filler follows ("..., like, I think").
    const next = phrase ? tokens[i + phrase.length] : undefined;
    const fillerFollows =
      next === undefined || PUNCTUATION.test(next) || PRONOUNS.has(next) || HESITATIONS.has(next);
    const suchAs = phrase?.[0] === 'like' && afterComma && !fillerFollows;
    if (phrase && !suchAs) {
      fillers++;
      words += phrase.length;
      i += phrase.length;
      clauseStart = true;
      afterComma = false;
      continue;
    }
    words++;
    clauseStart = CLAUSE_JOINERS.has(token);
    afterComma = false;
    i++;
  }
  return { fillers, words };
}
