import { runWorker } from '@introeval/pipeline';
import { RatingConfig } from './rating.config.js';
import { RatingModule } from './rating.module.js';

runWorker({ name: 'rating', stage: 'rate', configClass: RatingConfig, module: RatingModule });
