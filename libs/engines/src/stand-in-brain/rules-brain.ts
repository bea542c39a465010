import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PocketsphinxEngine } from '../stt/pocketsphinx.engine.js';
import { rulesChatAnswer } from './rules-answers.js';
import type { StandInBrain } from './stand-in-brain.types.js';

/**
 * Real answers without a GPU: real pocketsphinx for audio (needs a 16 kHz mono WAV, which is what the pipeline
 * sends) and the rules engines for chat (see rules-answers.ts for the prompt and schema conventions).
 */
export function rulesBrain(options: { pocketsphinx?: PocketsphinxEngine } = {}): StandInBrain {
  const engine = options.pocketsphinx ?? new PocketsphinxEngine();
  return {
    async transcribe(wav, request) {
      const dir = await mkdtemp(join(tmpdir(), 'introeval-gpu-node-'));
      try {
        const audioPath = join(dir, 'audio.wav');
        await writeFile(audioPath, wav);
        const transcript = await engine.transcribe({ audioPath });
        return {
          text: transcript.text,
          language: request.language ?? 'en',
          durationSec: transcript.durationSec ?? 0,
          words: transcript.words.map((w) => ({ word: w.w, start: w.start, end: w.end, probability: w.conf })),
        };
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    },
    async chat(request) {
      return rulesChatAnswer(request);
    },
  };
}
