import type { DeliveryMetrics, EngineProvenance, Profile, Scores, Transcript } from '@introeval/contracts';

/**
 * Speech to text. The embedded default is pocketsphinx (CPU); production plugs in an OpenAI-compatible Whisper
 * server behind the same interface. Every result records `provenance` so a class is judged by one chain.
 */
export interface SpeechToTextEngine {
  readonly provenance: EngineProvenance;
  /**
   * Transcribes one audio file. `audioPath` must be a 16 kHz mono 16-bit PCM WAV (the upload stage produces it).
   * Rejects with the signal's reason when `signal` aborts, after stopping any work it started.
   */
  transcribe(input: TranscribeInput): Promise<Transcript>;
}

/** What every engine call carries besides its input: how to stop it, and the GPU lease it runs under. */
export interface EngineCall {
  /** Aborts the work in flight (a child process, an HTTP call); the call then rejects with the signal's reason. */
  signal?: AbortSignal;
  /**
   * The GPU lease epoch the stage pulled this job under (null or absent: not gated on a lease). Engines on a GPU
   * node send it with every request (`X-Lease-Epoch`), so each GPU call can be checked against its grant.
   */
  epoch?: number | null;
}

export interface TranscribeInput extends EngineCall {
  /** 16 kHz mono s16le WAV. */
  audioPath: string;
}

/** Transcript text -> structured profile. Fields that the text does not state stay null / []. */
export interface ExtractionEngine {
  /** The configured chain (engine, model, version; the digest once known). Per-call figures: see below. */
  readonly provenance: EngineProvenance;
  extract(input: ExtractInput): Promise<Profile>;
  /**
   * Optional: `extract`, plus the provenance of exactly this call (digest, token counts, load time; the engine
   * that actually answered, where a fallback may stand in). Engines without per-call figures leave it out and the
   * caller uses `provenance`.
   */
  extractWithProvenance?(input: ExtractInput): Promise<ExtractionOutcome>;
}

export interface ExtractInput extends EngineCall {
  text: string;
}

/** A profile and the provenance of exactly the call that produced it. */
export interface ExtractionOutcome {
  profile: Profile;
  provenance: EngineProvenance;
}

/** Rubric scores and actionable feedback. Same input, same output: scores must be reproducible. */
export interface RatingEngine {
  /** The configured chain (engine, model, rubric and prompt version; the digest once known). */
  readonly provenance: EngineProvenance;
  rate(input: RateInput): Promise<RatingResult>;
  /** Optional: `rate`, plus the provenance of exactly this call (see ExtractionEngine.extractWithProvenance). */
  rateWithProvenance?(input: RateInput): Promise<RatingOutcome>;
}

export interface RateInput extends EngineCall {
  transcript: Transcript;
  profile: Profile;
  metrics: DeliveryMetrics;
}

export interface RatingResult {
  scores: Scores;
  feedback: string[];
}

/** A rating and the provenance of exactly the call that produced it. */
export interface RatingOutcome extends RatingResult {
  provenance: EngineProvenance;
}
