/** Capitalised, with a full stop unless it already ends with one (possibly inside a closing quote). */
export function sentence(text: string): string {
  const capitalised = text.charAt(0).toUpperCase() + text.slice(1);
  return /[.!?]["']?$/.test(capitalised) ? capitalised : `${capitalised}.`;
}

/** "a", "a and b", "a, b and c". */
export function joinWords(items: readonly string[]): string {
  return items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}
