import type { Provider } from '@nestjs/common';
import { loadRubric, RulesRatingEngine, type RatingEngine, type Rubric } from '@introeval/engines';
import { RatingConfig } from './rating.config.js';

/** Injection token for the configured rating engine. */
export const RATING_ENGINE = Symbol('RatingEngine');
/** Injection token for the rubric every rating engine scores by (RUBRIC_FILE, validated with the config). */
export const RUBRIC = Symbol('Rubric');

export const rubricProvider: Provider = {
  provide: RUBRIC,
  inject: [RatingConfig],
  useFactory: (config: RatingConfig): Rubric => loadRubric(config.RUBRIC_FILE),
};

export const ratingEngineProvider: Provider = {
  provide: RATING_ENGINE,
  inject: [RatingConfig, RUBRIC],
  useFactory: (config: RatingConfig, rubric: Rubric): RatingEngine => {
    switch (config.RATE_ENGINE) {
      case 'rules':
        return new RulesRatingEngine(rubric);
    }
  },
};
