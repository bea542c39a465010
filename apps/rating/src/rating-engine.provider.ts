import { Logger, type Provider } from '@nestjs/common';
import {
  loadRubric,
  OllamaClient,
  OllamaRatingEngine,
  RulesRatingEngine,
  ratingWithFallback,
  type RatingEngine,
  type Rubric,
} from '@introeval/engines';
import { RatingConfig } from './rating.config.js';

/** Injection token for the configured rating engine. */
export const RATING_ENGINE = Symbol('RatingEngine');
/** Injection token for the rubric every rating engine scores by (RUBRIC_FILE, validated with the config). */
export const RUBRIC = Symbol('Rubric');

const logger = new Logger('RatingEngine');

export const rubricProvider: Provider = {
  provide: RUBRIC,
  inject: [RatingConfig],
  useFactory: (config: RatingConfig): Rubric => loadRubric(config.RUBRIC_FILE),
};

/**
 * The engine RATE_ENGINE names, scoring by `rubric`, wrapped with the rules engine (same rubric) where
 * RATE_FALLBACK asks for it. Builds only: the configuration was validated at boot (a factory that threw here would
 * abort the process), and no call is made until a job arrives.
 */
export function buildRatingEngine(config: RatingConfig, rubric: Rubric): RatingEngine {
  switch (config.RATE_ENGINE) {
    case 'rules':
      return new RulesRatingEngine(rubric);
    case 'ollama': {
      const ollama = new OllamaRatingEngine(new OllamaClient(config.ollamaClientOptions()), rubric);
      if (config.RATE_FALLBACK === 'none') return ollama;
      return ratingWithFallback(ollama, new RulesRatingEngine(rubric), (error) =>
        logger.warn(`${config.RATE_MODEL} unavailable, the rules engine answers (RATE_FALLBACK=rules): ${error.message}`),
      );
    }
  }
}

export const ratingEngineProvider: Provider = {
  provide: RATING_ENGINE,
  inject: [RatingConfig, RUBRIC],
  useFactory: buildRatingEngine,
};
