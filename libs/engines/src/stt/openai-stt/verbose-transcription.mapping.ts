import type { Word } from '@introeval/contracts';
import type { TranscriptionWordDto, VerboseTranscriptionDto } from './verbose-transcription.dto.js';

/**
 * The words of a verbose_json answer as contract Words: from the top-level `words` (OpenAI, speaches), else from
 * the segments (whisper.cpp). Whisper writes a word with its leading space and punctuation (" Hello,"): the space
 * goes, the punctuation stays (the filler counter reads it as a clause break). Times are rounded to the
 * millisecond and kept ordered (end >= start >= 0). `conf` is the word's probability; a server that gives none
 * gets 1, so an unknown confidence is never scored as a poor one.
 */
export function wordsFromVerbose(answer: VerboseTranscriptionDto): Word[] {
  const raw: TranscriptionWordDto[] =
    answer.words && answer.words.length > 0 ? answer.words : (answer.segments ?? []).flatMap((s) => s.words ?? []);
  const words: Word[] = [];
  for (const word of raw) {
    const w = word.word.trim();
    if (w.length === 0) continue;
    const start = Math.max(0, roundMs(word.start));
    words.push({ w, start, end: Math.max(start, roundMs(word.end)), conf: clamp01(word.probability ?? 1) });
  }
  return words;
}

function roundMs(seconds: number): number {
  return Math.round(seconds * 1000) / 1000;
}

function clamp01(value: number): number {
  return Math.min(1, Math.max(0, value));
}
