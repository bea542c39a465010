type Requirement = (labels: Record<string, string>) => boolean;

/**
 * Parses a `labelSelector` query as the API server does: comma-separated `k=v`, `k==v`, `k!=v`, `k in (a,b)`,
 * `k notin (a,b)`, `k` and `!k`, all of which must hold. Throws on what it cannot read (the server's 400).
 */
export function parseLabelSelector(query: string): Requirement {
  const requirements = splitTerms(query).map(parseTerm);
  return (labels) => requirements.every((matches) => matches(labels));
}

function splitTerms(query: string): string[] {
  const terms: string[] = [];
  let depth = 0;
  let current = '';
  for (const char of query) {
    if (char === '(') depth++;
    if (char === ')') depth--;
    if (char === ',' && depth === 0) {
      terms.push(current);
      current = '';
    } else {
      current += char;
    }
  }
  terms.push(current);
  return terms.map((term) => term.trim()).filter((term) => term.length > 0);
}

function parseTerm(term: string): Requirement {
  const set = term.match(/^(\S+)\s+(in|notin)\s+\(([^)]*)\)$/);
  if (set) {
    const [, key, operator, list] = set as unknown as [string, string, string, string];
    const values = new Set(list.split(',').map((value) => value.trim()));
    return operator === 'in'
      ? (labels) => key in labels && values.has(labels[key])
      : (labels) => !(key in labels) || !values.has(labels[key]);
  }
  const notEqual = term.match(/^([^=!\s]+)\s*!=\s*(\S*)$/);
  if (notEqual) return (labels) => labels[notEqual[1]] !== notEqual[2];
  const equal = term.match(/^([^=!\s]+)\s*==?\s*(\S*)$/);
  if (equal) return (labels) => labels[equal[1]] === equal[2];
  const absent = term.match(/^!\s*([^=!\s]+)$/);
  if (absent) return (labels) => !(absent[1] in labels);
  if (/^[^=!\s()]+$/.test(term)) return (labels) => term in labels;
  throw new Error(`unable to parse requirement: "${term}"`);
}
