import type { Provider } from '@nestjs/common';
import { OpenAiSpeechToTextEngine, PocketsphinxEngine, type SpeechToTextEngine } from '@introeval/engines';
import { TranscriptionConfig } from './transcription.config.js';

/** Injection token for the configured speech-to-text engine. */
export const SPEECH_TO_TEXT = Symbol('SpeechToTextEngine');

/**
 * The engine STT_ENGINE names. Builds only: the configuration was validated at boot (a factory that threw here
 * would abort the process), and no call is made until a job arrives.
 */
export function buildSpeechToTextEngine(config: TranscriptionConfig): SpeechToTextEngine {
  switch (config.STT_ENGINE) {
    case 'pocketsphinx':
      return new PocketsphinxEngine({ concurrency: config.STT_PARALLELISM });
    case 'openai':
      return new OpenAiSpeechToTextEngine({
        // Required with STT_ENGINE=openai: the config's validation made sure it is set.
        url: config.STT_URL!,
        model: config.STT_MODEL,
        language: config.STT_LANGUAGE,
        prompt: config.STT_PROMPT,
        apiKey: config.STT_API_KEY,
        timeoutMs: config.STT_TIMEOUT_MS,
        concurrency: config.STT_CONCURRENCY,
        retries: config.STT_RETRY_BACKOFF_MS.length,
        backoffMs: config.STT_RETRY_BACKOFF_MS,
      });
  }
}

export const sttEngineProvider: Provider = {
  provide: SPEECH_TO_TEXT,
  inject: [TranscriptionConfig],
  useFactory: buildSpeechToTextEngine,
};
