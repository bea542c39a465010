/**
 * Spoken years as ASR writes them ("twenty twenty five", "two thousand and twenty four", "nineteen ninety nine")
 * turned into digits, so one set of year patterns serves written and spoken text.
 */

const UNITS: Record<string, number> = {
  one: 1, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9,
};
const TEENS: Record<string, number> = {
  ten: 10, eleven: 11, twelve: 12, thirteen: 13, fourteen: 14, fifteen: 15, sixteen: 16, seventeen: 17,
  eighteen: 18, nineteen: 19,
};
const TENS: Record<string, number> = {
  twenty: 20, thirty: 30, forty: 40, fifty: 50, sixty: 60, seventy: 70, eighty: 80, ninety: 90,
};

/** A number 10..99 spelled at `tokens[i]` ("twenty five", "nineteen"), or 1..9 after "oh" ("oh five"). */
function twoDigits(tokens: readonly string[], i: number): { value: number; length: number } | null {
  const word = tokens[i];
  if (word === undefined) return null;
  if (word in TEENS) return { value: TEENS[word], length: 1 };
  if (word in TENS) {
    const next = tokens[i + 1];
    if (next !== undefined && next in UNITS) return { value: TENS[word] + UNITS[next], length: 2 };
    return { value: TENS[word], length: 1 };
  }
  if ((word === 'oh' || word === 'o' || word === 'zero') && tokens[i + 1] !== undefined && tokens[i + 1] in UNITS) {
    return { value: UNITS[tokens[i + 1]], length: 2 };
  }
  return null;
}

/** A spoken year starting at `tokens[i]`, with how many tokens it spans. */
function spokenYear(tokens: readonly string[], i: number): { value: number; length: number } | null {
  const word = tokens[i];
  if (word === 'nineteen' || word === 'twenty') {
    // "twenty five" is 25, not a year: the second half must be 10..99 or "oh N".
    const rest = twoDigits(tokens, i + 1);
    if (rest && (rest.value >= 10 || tokens[i + 1] === 'oh' || tokens[i + 1] === 'o' || tokens[i + 1] === 'zero')) {
      return { value: (word === 'nineteen' ? 1900 : 2000) + rest.value, length: 1 + rest.length };
    }
    return null;
  }
  if (word === 'two' && tokens[i + 1] === 'thousand') {
    let j = i + 2;
    if (tokens[j] === 'and') j++;
    const unit = tokens[j];
    if (unit !== undefined && unit in UNITS) return { value: 2000 + UNITS[unit], length: j - i + 1 };
    const rest = twoDigits(tokens, j);
    if (rest) return { value: 2000 + rest.value, length: j - i + rest.length };
    return { value: 2000, length: 2 };
  }
  return null;
}

/** Replaces spoken years in lowercase text with digits ("graduating in twenty twenty five" -> "... in 2025"). */
export function normalizeSpokenYears(lower: string): string {
  const tokens = lower.replace(/(?<=[a-z])-(?=[a-z])/g, ' ').split(' ');
  // Punctuation stuck to the last word ("five.") must not stop the match, and must survive it; punctuation
  // inside ("twenty. twenty five") means two sentences, not one year.
  const bare = tokens.map((t) => t.replace(/[.,;:!?]+$/, ''));
  const out: string[] = [];
  for (let i = 0; i < tokens.length; ) {
    const year = spokenYear(bare, i);
    const inner = year ? tokens.slice(i, i + year.length - 1).some((t, k) => t !== bare[i + k]) : false;
    if (year && !inner) {
      const tail = tokens[i + year.length - 1].slice(bare[i + year.length - 1].length);
      out.push(`${year.value}${tail}`);
      i += year.length;
    } else {
      out.push(tokens[i]);
      i++;
    }
  }
  return out.join(' ');
}
