import type { EngineProvenance, Profile } from '@introeval/contracts';
import { extractWithProvenance } from '../engine-outcome.js';
import type { ExtractInput, ExtractionEngine, ExtractionOutcome } from '../engine.types.js';
import { fallbackMayAnswer, type FallbackListener } from './engine-unavailable.js';

/**
 * The configured extraction engine, with a stand-in for when it cannot be reached: a call that fails with
 * ENGINE_UNAVAILABLE (after the engine's own retries) is answered by `fallback` (the rules engine), and the
 * outcome's provenance names the fallback's chain plus `fallbackFrom` = the configured engine. Every other error
 * passes through unchanged. Used only where EXTRACT_FALLBACK asks for it: by default the stage waits for its engine.
 */
export class FallbackExtractionEngine implements ExtractionEngine {
  constructor(
    private readonly primary: ExtractionEngine,
    private readonly fallback: ExtractionEngine,
    private readonly onFallback: FallbackListener = () => undefined,
  ) {}

  /** The configured chain: what the stage runs when its engine is there. */
  get provenance(): EngineProvenance {
    return this.primary.provenance;
  }

  async extract(input: ExtractInput): Promise<Profile> {
    return (await this.extractWithProvenance(input)).profile;
  }

  async extractWithProvenance(input: ExtractInput): Promise<ExtractionOutcome> {
    try {
      return await extractWithProvenance(this.primary, input);
    } catch (error) {
      if (!fallbackMayAnswer(error, input.signal)) throw error;
      this.onFallback(error);
      const outcome = await extractWithProvenance(this.fallback, input);
      return { ...outcome, provenance: { ...outcome.provenance, fallbackFrom: this.primary.provenance.engine } };
    }
  }
}
