export type {
  ExtractInput,
  ExtractionEngine,
  RateInput,
  RatingEngine,
  RatingResult,
  SpeechToTextEngine,
  TranscribeInput,
} from './engine.types.js';
export { PocketsphinxEngine, type PocketsphinxEngineOptions } from './pocketsphinx.engine.js';
export { detectPocketsphinxVersion, POCKETSPHINX_INSTALL_HINT } from './pocketsphinx-process.js';
export { RulesExtractionEngine, RULES_EXTRACTION_VERSION, extractProfile } from './rules-extraction.engine.js';
export { RulesRatingEngine, RUBRIC_VERSION, rateIntroduction, rubricTotal } from './rules-rating.engine.js';
export { RUBRIC_WEIGHTS, IDEAL_WPM, type Criterion } from './rubric-criteria.js';
export { computeDeliveryMetrics, fieldCoverage, LONG_PAUSE_SEC, PAUSE_MIN_SEC } from './delivery-metrics.js';
export { countFillers, type FillerCount } from './fillers.js';
export { wordErrorRate } from './wer.js';
