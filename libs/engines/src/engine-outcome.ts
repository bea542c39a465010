import type {
  ExtractInput,
  ExtractionEngine,
  ExtractionOutcome,
  RateInput,
  RatingEngine,
  RatingOutcome,
} from './engine.types.js';

/**
 * Extracts with `engine` and returns the provenance of exactly this call: the engine's own per-call figures where
 * it offers them (`extractWithProvenance`), else its configured chain.
 */
export async function extractWithProvenance(engine: ExtractionEngine, input: ExtractInput): Promise<ExtractionOutcome> {
  if (engine.extractWithProvenance) return engine.extractWithProvenance(input);
  const profile = await engine.extract(input);
  return { profile, provenance: engine.provenance };
}

/** Rates with `engine` and returns the provenance of exactly this call (see extractWithProvenance). */
export async function rateWithProvenance(engine: RatingEngine, input: RateInput): Promise<RatingOutcome> {
  if (engine.rateWithProvenance) return engine.rateWithProvenance(input);
  const { scores, feedback } = await engine.rate(input);
  return { scores, feedback, provenance: engine.provenance };
}
