/** Lowercase words without punctuation: how transcripts are compared, whatever engine wrote them. */
export function normalizeWords(text: string): string[] {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9'\s]+/g, ' ')
    .split(/\s+/)
    .filter((word) => word.length > 0);
}

/**
 * Word error rate of `hypothesis` against `reference`: (substitutions + deletions + insertions) / reference words,
 * by word-level edit distance. 0 for two empty texts; 1 per inserted word against an empty reference.
 */
export function wordErrorRate(reference: string, hypothesis: string): number {
  const ref = normalizeWords(reference);
  const hyp = normalizeWords(hypothesis);
  if (ref.length === 0) return hyp.length;
  // One row of the edit-distance table at a time: memory O(hypothesis length).
  let previous = Array.from({ length: hyp.length + 1 }, (_, j) => j);
  for (let i = 1; i <= ref.length; i++) {
    const current = [i];
    for (let j = 1; j <= hyp.length; j++) {
      const substitution = previous[j - 1] + (ref[i - 1] === hyp[j - 1] ? 0 : 1);
      current[j] = Math.min(substitution, previous[j] + 1, current[j - 1] + 1);
    }
    previous = current;
  }
  return previous[hyp.length] / ref.length;
}
