import type { Provider } from '@nestjs/common';
import { RulesExtractionEngine, type ExtractionEngine } from '@introeval/engines';
import { ExtractionConfig } from './extraction.config.js';

/** Injection token for the configured extraction engine. */
export const EXTRACTION_ENGINE = Symbol('ExtractionEngine');

export const extractionEngineProvider: Provider = {
  provide: EXTRACTION_ENGINE,
  inject: [ExtractionConfig],
  useFactory: (config: ExtractionConfig): ExtractionEngine => {
    switch (config.EXTRACT_ENGINE) {
      case 'rules':
        return new RulesExtractionEngine();
    }
  },
};
