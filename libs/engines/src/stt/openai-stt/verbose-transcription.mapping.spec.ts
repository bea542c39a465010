import { describe, expect, it } from '@jest/globals';
import { plainToInstance } from 'class-transformer';
import { VerboseTranscriptionDto } from './verbose-transcription.dto.js';
import { wordsFromVerbose } from './verbose-transcription.mapping.js';

const answer = (plain: object): VerboseTranscriptionDto => plainToInstance(VerboseTranscriptionDto, plain);

describe('wordsFromVerbose', () => {
  it('maps top-level words: space trimmed, punctuation kept, conf = probability, times to the ms', () => {
    const words = wordsFromVerbose(
      answer({
        text: 'Hello, my name',
        words: [
          { word: ' Hello,', start: 0.1234, end: 0.5, probability: 0.91 },
          { word: ' my', start: 0.52, end: 0.6, probability: 1.2 },
          { word: ' ', start: 0.6, end: 0.61, probability: 0.5 },
          { word: ' name', start: 0.7, end: 0.65 },
        ],
      }),
    );
    expect(words).toEqual([
      { w: 'Hello,', start: 0.123, end: 0.5, conf: 0.91 },
      { w: 'my', start: 0.52, end: 0.6, conf: 1 },
      { w: 'name', start: 0.7, end: 0.7, conf: 1 },
    ]);
  });

  it('falls back to the segments when the server nests the words there', () => {
    const words = wordsFromVerbose(
      answer({
        text: 'hi there',
        segments: [
          { id: 0, words: [{ word: 'hi', start: 0, end: 0.2, probability: 0.8 }] },
          { id: 1, words: [{ word: ' there', start: 0.3, end: 0.6, probability: 0.7 }] },
        ],
      }),
    );
    expect(words.map((w) => w.w)).toEqual(['hi', 'there']);
    expect(wordsFromVerbose(answer({ text: '' }))).toEqual([]);
  });
});
