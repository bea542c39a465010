import type { DeliveryMetrics, Profile, Transcript } from '@introeval/contracts';
import { countFillers } from '../fillers.js';

/** What every criterion, guard and engine looks at, computed once per rating. */
export interface RatingFacts {
  transcript: Transcript;
  profile: Profile;
  metrics: DeliveryMetrics;
  /** The transcript text (or its words joined, where an engine gave words only). */
  text: string;
  lower: string;
  /** Words of the text, counted as the filler rate counts them. */
  wordCount: number;
  /** True when the transcript has word timings (a recording), false for a text submission. */
  hasTimings: boolean;
  /** First word's start to last word's end; null without timings. */
  speakingSec: number | null;
}

export function ratingFacts(transcript: Transcript, profile: Profile, metrics: DeliveryMetrics): RatingFacts {
  const text = transcript.text.trim() || transcript.words.map((w) => w.w).join(' ');
  const hasTimings = transcript.words.length > 0 && metrics.wpm !== null;
  let speakingSec: number | null = null;
  if (hasTimings) {
    // A loop, not Math.min(...spread): a long talk has more words than a call may take arguments.
    let first = Infinity;
    let last = -Infinity;
    for (const word of transcript.words) {
      first = Math.min(first, word.start);
      last = Math.max(last, word.end);
    }
    speakingSec = last - first;
  }
  return {
    transcript,
    profile,
    metrics,
    text,
    lower: text.toLowerCase(),
    wordCount: countFillers(text).words,
    hasTimings,
    speakingSec,
  };
}
