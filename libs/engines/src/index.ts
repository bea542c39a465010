export type {
  EngineCall,
  ExtractInput,
  ExtractionEngine,
  ExtractionOutcome,
  RateInput,
  RatingEngine,
  RatingOutcome,
  RatingResult,
  SpeechToTextEngine,
  TranscribeInput,
} from './engine.types.js';
export { extractWithProvenance, rateWithProvenance } from './engine-outcome.js';
export {
  FallbackEngine,
  extractionWithFallback,
  ratingWithFallback,
  type CallWithProvenance,
} from './fallback/fallback.engine.js';
export { fallbackMayAnswer, type FallbackListener } from './fallback/engine-unavailable.js';
export { LEASE_EPOCH_HEADER, leaseEpochHeader } from './http/lease-epoch-header.js';
export { PocketsphinxEngine, type PocketsphinxEngineOptions } from './stt/pocketsphinx.engine.js';
export { detectPocketsphinxVersion, POCKETSPHINX_INSTALL_HINT } from './stt/pocketsphinx-process.js';
export { RulesExtractionEngine, RULES_EXTRACTION_VERSION, extractProfile } from './extraction/rules-extraction.engine.js';
export { RulesRatingEngine, RULES_RATING_VERSION, rateIntroduction } from './rating/rules-rating.engine.js';
export { DEFAULT_RUBRIC_FILE, RubricError, defaultRubric, loadRubric, parseRubric } from './rating/rubric/rubric.loader.js';
export { combineScores } from './rating/rubric/combine-scores.js';
export { buildFeedback, weakestCriteria } from './rating/rubric/rating-feedback.js';
export { IDEAL_WPM } from './rating/rubric/delivery-judgement.js';
export {
  CRITERIA,
  type Criterion,
  type CriterionJudgement,
  type CriterionScores,
  type Rubric,
  type RubricCriterion,
  type RubricGuards,
} from './rating/rubric/rubric.types.js';
export { computeDeliveryMetrics, fieldCoverage, LONG_PAUSE_SEC, PAUSE_MIN_SEC } from './rating/delivery-metrics.js';
export { countFillers, type FillerCount } from './rating/fillers.js';
export { ConcurrencyLimiter } from './http/concurrency-limiter.js';
export {
  OllamaClient,
  type OllamaCallStats,
  type OllamaChatJsonRequest,
  type OllamaClientOptions,
} from './ollama/ollama.client.js';
export { OllamaExtractionEngine } from './extraction/ollama-extraction.engine.js';
export { EXTRACTION_PROMPT_VERSION, EXTRACTION_SYSTEM_PROMPT, extractionUserMessage } from './extraction/extraction-prompt.js';
export { PROFILE_JSON_SCHEMA } from './extraction/profile.schema.js';
export { ProfileAnswerDto } from './extraction/profile-answer.dto.js';
export { OllamaRatingEngine } from './rating/ollama-rating.engine.js';
export { RATING_PROMPT_VERSION, ratingSystemPrompt, ratingUserMessage } from './rating/rating-prompt.js';
export { MODEL_JUDGED_CRITERIA, RATING_JSON_SCHEMA } from './rating/rating.schema.js';
export { RatingAnswerDto } from './rating/rating-answer.dto.js';
export {
  OpenAiSpeechToTextEngine,
  OPENAI_STT_VERSION,
  type OpenAiSpeechToTextOptions,
} from './stt/openai-stt/openai-stt.engine.js';
