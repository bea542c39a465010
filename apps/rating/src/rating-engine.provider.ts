import { Logger, type Provider } from '@nestjs/common';
import {
  FallbackRatingEngine,
  loadRubric,
  OllamaClient,
  OllamaRatingEngine,
  RulesRatingEngine,
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
      const ollama = new OllamaRatingEngine(
        new OllamaClient({
          // Required with RATE_ENGINE=ollama: the config's validation made sure it is set.
          url: config.OLLAMA_URL!,
          model: config.RATE_MODEL,
          numCtx: config.OLLAMA_NUM_CTX,
          keepAlive: config.ollamaKeepAlive,
          timeoutMs: config.OLLAMA_TIMEOUT_MS,
          concurrency: config.RATE_CONCURRENCY,
          retries: config.OLLAMA_RETRY_BACKOFF_MS.length,
          backoffMs: config.OLLAMA_RETRY_BACKOFF_MS,
        }),
        rubric,
      );
      if (config.RATE_FALLBACK === 'none') return ollama;
      return new FallbackRatingEngine(ollama, new RulesRatingEngine(rubric), (error) =>
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
