import { IsIn } from 'class-validator';
import { WorkerConfig } from '@introeval/config';

export const EXTRACT_ENGINES = ['rules'] as const;

export class ExtractionConfig extends WorkerConfig {
  /** Profile extraction engine. `rules` is deterministic and needs no model (the embedded default). */
  @IsIn(EXTRACT_ENGINES, { message: `EXTRACT_ENGINE must be one of ${EXTRACT_ENGINES.join(', ')}` })
  EXTRACT_ENGINE: (typeof EXTRACT_ENGINES)[number] = 'rules';
}
