import type { Provider } from '@nestjs/common';
import { RulesRatingEngine, type RatingEngine } from '@introeval/engines';
import { RatingConfig } from './rating.config.js';

/** Injection token for the configured rating engine. */
export const RATING_ENGINE = Symbol('RatingEngine');

export const ratingEngineProvider: Provider = {
  provide: RATING_ENGINE,
  inject: [RatingConfig],
  useFactory: (config: RatingConfig): RatingEngine => {
    switch (config.RATE_ENGINE) {
      case 'rules':
        return new RulesRatingEngine();
    }
  },
};
