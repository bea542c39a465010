import { IsIn } from 'class-validator';
import { WorkerConfig } from '@introeval/config';

export const RATE_ENGINES = ['rules'] as const;

export class RatingConfig extends WorkerConfig {
  /** Rubric rating engine. `rules` is deterministic and needs no model (the embedded default). */
  @IsIn(RATE_ENGINES, { message: `RATE_ENGINE must be one of ${RATE_ENGINES.join(', ')}` })
  RATE_ENGINE: (typeof RATE_ENGINES)[number] = 'rules';
}
