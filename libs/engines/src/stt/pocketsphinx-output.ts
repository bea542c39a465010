import type { Word } from '@introeval/contracts';

/**
 * One `-time yes` line: `word start end posterior`. The hypothesis lines that pocketsphinx prints between them
 * hold only dictionary words, never numbers, so the numeric columns tell the two kinds apart.
 */
const WORD_LINE = /^(\S+) (-?\d+(?:\.\d+)?) (-?\d+(?:\.\d+)?) (-?\d+(?:\.\d+)?(?:e[-+]?\d+)?)$/i;

/** Silence and noise tokens: `<s>`, `</s>`, `<sil>`, `[NOISE]`, `[SPEECH]`, and `++NOISE++` in older models. */
function isFiller(token: string): boolean {
  return /^<.*>$/.test(token) || /^\[.*\]$/.test(token) || /^\+\+.*\+\+$/.test(token);
}

/**
 * Parses one line of `pocketsphinx_continuous -time yes` output into a word, or null for hypothesis text, fillers
 * and anything else. `offsetSec` shifts the times of a chunk back onto the whole file's timeline.
 *
 * The Debian 0.8 build prints the posterior already as a probability (`logmath_exp` of the lattice posterior,
 * e.g. `0.992825`), not a log value, so it is only clamped to 0..1 here.
 */
export function parseWordLine(line: string, offsetSec = 0): Word | null {
  const match = WORD_LINE.exec(line.trim());
  if (!match) return null;
  const [, token, start, end, posterior] = match as unknown as [string, string, string, string, string];
  if (isFiller(token)) return null;
  // `word(2)` is the second pronunciation of `word` in the dictionary: the same word.
  const w = token.replace(/\(\d+\)$/, '');
  if (w.length === 0) return null;
  const conf = Number(posterior);
  return {
    w,
    start: roundMs(Number(start) + offsetSec),
    end: roundMs(Number(end) + offsetSec),
    conf: Number.isFinite(conf) ? Math.min(1, Math.max(0, conf)) : 0,
  };
}

function roundMs(seconds: number): number {
  return Math.round(seconds * 1000) / 1000;
}
