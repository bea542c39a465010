import type { EngineProvenance } from '@introeval/contracts';
import { extractWithProvenance, rateWithProvenance } from '../engine-outcome.js';
import type {
  EngineCall,
  ExtractInput,
  ExtractionEngine,
  ExtractionOutcome,
  RateInput,
  RatingEngine,
  RatingOutcome,
  RatingResult,
} from '../engine.types.js';
import { fallbackMayAnswer, type FallbackListener } from './engine-unavailable.js';

/** Calls one kind of engine and returns the provenance of exactly that call (extractWithProvenance, ...). */
export type CallWithProvenance<E, I, O> = (engine: E, input: I) => Promise<O>;

/**
 * The configured engine of one kind, with a stand-in for when it cannot be reached: a call that fails with
 * ENGINE_UNAVAILABLE (after the engine's own retries, and unless the call was aborted) is answered by `fallback`
 * (the rules engine), and the outcome's provenance names the fallback's chain plus `fallbackFrom` = the configured
 * engine. Every other error passes through unchanged. Used only where EXTRACT_FALLBACK / RATE_FALLBACK ask for it:
 * by default a stage waits for its engine. `extractionWithFallback` and `ratingWithFallback` give it the methods of
 * each kind's interface.
 */
export class FallbackEngine<
  E extends { readonly provenance: EngineProvenance },
  I extends EngineCall,
  O extends { provenance: EngineProvenance },
> {
  constructor(
    private readonly primary: E,
    private readonly fallback: E,
    private readonly call: CallWithProvenance<E, I, O>,
    private readonly onFallback: FallbackListener = () => undefined,
  ) {}

  /** The configured chain: what the stage runs when its engine is there. */
  get provenance(): EngineProvenance {
    return this.primary.provenance;
  }

  /** One call: the primary's answer, else (ENGINE_UNAVAILABLE only) the fallback's, marked `fallbackFrom`. */
  async answer(input: I): Promise<O> {
    try {
      return await this.call(this.primary, input);
    } catch (error) {
      if (!fallbackMayAnswer(error, input.signal)) throw error;
      this.onFallback(error);
      const outcome = await this.call(this.fallback, input);
      return { ...outcome, provenance: { ...outcome.provenance, fallbackFrom: this.primary.provenance.engine } };
    }
  }
}

/** An extraction engine that falls back to `fallback` when `primary` is unavailable (see FallbackEngine). */
export function extractionWithFallback(
  primary: ExtractionEngine,
  fallback: ExtractionEngine,
  onFallback?: FallbackListener,
): FallbackEngine<ExtractionEngine, ExtractInput, ExtractionOutcome> & Required<ExtractionEngine> {
  const engine = new FallbackEngine(primary, fallback, extractWithProvenance, onFallback);
  return Object.assign(engine, {
    extract: async (input: ExtractInput) => (await engine.answer(input)).profile,
    extractWithProvenance: (input: ExtractInput) => engine.answer(input),
  });
}

/** A rating engine that falls back to `fallback` when `primary` is unavailable (see FallbackEngine). */
export function ratingWithFallback(
  primary: RatingEngine,
  fallback: RatingEngine,
  onFallback?: FallbackListener,
): FallbackEngine<RatingEngine, RateInput, RatingOutcome> & Required<RatingEngine> {
  const engine = new FallbackEngine(primary, fallback, rateWithProvenance, onFallback);
  return Object.assign(engine, {
    rate: async (input: RateInput): Promise<RatingResult> => {
      const { scores, feedback } = await engine.answer(input);
      return { scores, feedback };
    },
    rateWithProvenance: (input: RateInput) => engine.answer(input),
  });
}
