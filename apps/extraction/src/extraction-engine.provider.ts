import { Logger, type Provider } from '@nestjs/common';
import {
  extractionWithFallback,
  OllamaClient,
  OllamaExtractionEngine,
  RulesExtractionEngine,
  type ExtractionEngine,
} from '@introeval/engines';
import { ExtractionConfig } from './extraction.config.js';

/** Injection token for the configured extraction engine. */
export const EXTRACTION_ENGINE = Symbol('ExtractionEngine');

const logger = new Logger('ExtractionEngine');

/**
 * The engine EXTRACT_ENGINE names, wrapped with the rules engine where EXTRACT_FALLBACK asks for it. Builds only:
 * the configuration was validated at boot (a factory that threw here would abort the process), and no call is
 * made until a job arrives, so a GPU node that is down does not stop the worker.
 */
export function buildExtractionEngine(config: ExtractionConfig): ExtractionEngine {
  switch (config.EXTRACT_ENGINE) {
    case 'rules':
      return new RulesExtractionEngine();
    case 'ollama': {
      const ollama = new OllamaExtractionEngine(new OllamaClient(config.ollamaClientOptions()));
      if (config.EXTRACT_FALLBACK === 'none') return ollama;
      return extractionWithFallback(ollama, new RulesExtractionEngine(), (error) =>
        logger.warn(`${config.EXTRACT_MODEL} unavailable, the rules engine answers (EXTRACT_FALLBACK=rules): ${error.message}`),
      );
    }
  }
}

export const extractionEngineProvider: Provider = {
  provide: EXTRACTION_ENGINE,
  inject: [ExtractionConfig],
  useFactory: buildExtractionEngine,
};
