import type { Provider } from '@nestjs/common';
import { PocketsphinxEngine, type SpeechToTextEngine } from '@introeval/engines';
import { TranscriptionConfig } from './transcription.config.js';

/** Injection token for the configured speech-to-text engine. */
export const SPEECH_TO_TEXT = Symbol('SpeechToTextEngine');

export const sttEngineProvider: Provider = {
  provide: SPEECH_TO_TEXT,
  inject: [TranscriptionConfig],
  useFactory: (config: TranscriptionConfig): SpeechToTextEngine => {
    switch (config.STT_ENGINE) {
      case 'pocketsphinx':
        return new PocketsphinxEngine({ concurrency: config.STT_PARALLELISM });
    }
  },
};
