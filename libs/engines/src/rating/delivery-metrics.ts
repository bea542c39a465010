import {
  PROFILE_LIST_FIELDS,
  PROFILE_SCALAR_FIELDS,
  type DeliveryMetrics,
  type Profile,
  type Transcript,
} from '@introeval/contracts';
import { countFillers } from './fillers.js';

/** A gap between words at least this long counts as a pause (shorter ones are normal articulation). */
export const PAUSE_MIN_SEC = 0.25;
/** A gap longer than this is a long pause: the listener notices it. */
export const LONG_PAUSE_SEC = 1;

const PROFILE_FIELD_COUNT = PROFILE_SCALAR_FIELDS.length + PROFILE_LIST_FIELDS.length;

function round2(value: number): number {
  return Math.round(value * 100) / 100;
}

/** Gaps measured to the millisecond, so 0.25 s written as 1.25 - 1.0 is not 0.2499999 and lost. */
function gapSec(from: number, to: number): number {
  return Math.round((to - from) * 1000) / 1000;
}

/** Share of the 13 profile fields that are filled (non-null scalars, non-empty lists), 0..1. */
export function fieldCoverage(profile: Profile): number {
  let filled = 0;
  for (const field of PROFILE_SCALAR_FIELDS) {
    const value = profile[field];
    if (value !== null && value !== '') filled++;
  }
  for (const field of PROFILE_LIST_FIELDS) if (profile[field].length > 0) filled++;
  return filled / PROFILE_FIELD_COUNT;
}

/**
 * Delivery metrics, computed by code (never by a model) so they are reproducible. Speaking time runs from the
 * first word's start to the last word's end. A pause is a gap of at least PAUSE_MIN_SEC between two words; the
 * words between pauses form a run, and `meanLengthOfRun` (words per run) is the fluency measure used in speech
 * research. Long pauses are counted per speaking minute so that long and short answers compare. Without word
 * timings (a text submission) only the filler rate and field coverage are known; the timing metrics are null.
 * All values are rounded to 2 decimals.
 */
export function computeDeliveryMetrics(transcript: Transcript, profile: Profile): DeliveryMetrics {
  const words = transcript.words;
  const { fillers, words: counted } = countFillers(words.length > 0 ? words.map((w) => w.w).join(' ') : transcript.text);
  const metrics: DeliveryMetrics = {
    wpm: null,
    fillerPer100: counted > 0 ? round2((fillers * 100) / counted) : 0,
    pauseRatio: null,
    longPauses: null,
    fieldCoverage: round2(fieldCoverage(profile)),
    meanLengthOfRun: null,
  };
  if (words.length === 0) return metrics;

  // A loop, not Math.min(...spread): a long talk has more words than a call may take arguments.
  let first = Infinity;
  let last = -Infinity;
  for (const word of words) {
    first = Math.min(first, word.start);
    last = Math.max(last, word.end);
  }
  const speakingSec = gapSec(first, last);
  if (speakingSec <= 0) return metrics;
  let pausedSec = 0;
  let pauses = 0;
  let longPauses = 0;
  for (let i = 1; i < words.length; i++) {
    const gap = gapSec(words[i - 1].end, words[i].start);
    if (gap >= PAUSE_MIN_SEC) {
      pausedSec += gap;
      pauses++;
    }
    if (gap > LONG_PAUSE_SEC) longPauses++;
  }
  const minutes = speakingSec / 60;
  return {
    ...metrics,
    wpm: round2(words.length / minutes),
    pauseRatio: round2(pausedSec / speakingSec),
    longPauses: round2(longPauses / minutes),
    // n pauses cut the words into n + 1 runs.
    meanLengthOfRun: round2(words.length / (pauses + 1)),
  };
}
