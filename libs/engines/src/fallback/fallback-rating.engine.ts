import type { EngineProvenance } from '@introeval/contracts';
import { rateWithProvenance } from '../engine-outcome.js';
import type { RateInput, RatingEngine, RatingOutcome, RatingResult } from '../engine.types.js';
import { fallbackMayAnswer, type FallbackListener } from './engine-unavailable.js';

/**
 * The configured rating engine, with a stand-in for when it cannot be reached (see FallbackExtractionEngine):
 * used only where RATE_FALLBACK asks for it.
 */
export class FallbackRatingEngine implements RatingEngine {
  constructor(
    private readonly primary: RatingEngine,
    private readonly fallback: RatingEngine,
    private readonly onFallback: FallbackListener = () => undefined,
  ) {}

  /** The configured chain: what the stage runs when its engine is there. */
  get provenance(): EngineProvenance {
    return this.primary.provenance;
  }

  async rate(input: RateInput): Promise<RatingResult> {
    const { scores, feedback } = await this.rateWithProvenance(input);
    return { scores, feedback };
  }

  async rateWithProvenance(input: RateInput): Promise<RatingOutcome> {
    try {
      return await rateWithProvenance(this.primary, input);
    } catch (error) {
      if (!fallbackMayAnswer(error, input.signal)) throw error;
      this.onFallback(error);
      const outcome = await rateWithProvenance(this.fallback, input);
      return { ...outcome, provenance: { ...outcome.provenance, fallbackFrom: this.primary.provenance.engine } };
    }
  }
}
