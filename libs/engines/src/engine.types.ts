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

export interface TranscribeInput {
  /** 16 kHz mono s16le WAV. */
  audioPath: string;
  signal?: AbortSignal;
}

/** Transcript text -> structured profile. Fields that the text does not state stay null / []. */
export interface ExtractionEngine {
  readonly provenance: EngineProvenance;
  extract(input: ExtractInput): Promise<Profile>;
}

export interface ExtractInput {
  text: string;
}

/** Rubric scores and actionable feedback. Same input, same output: scores must be reproducible. */
export interface RatingEngine {
  readonly provenance: EngineProvenance;
  rate(input: RateInput): Promise<RatingResult>;
}

export interface RateInput {
  transcript: Transcript;
  profile: Profile;
  metrics: DeliveryMetrics;
}

export interface RatingResult {
  scores: Scores;
  feedback: string[];
}
