// `@introeval/engines/quality`: how good an engine's answers are, for the benchmark and the specs. Off the main
// entry because no stage needs it: it reads the labelled introductions from disk and scores against them.
export {
  addCounts,
  compareProfiles,
  fieldScore,
  matchItems,
  tokenSimilarity,
  EXACT_FIELDS,
  FUZZY_FIELDS,
  FUZZY_MATCH_THRESHOLD,
  QUALITY_FIELDS,
  type FieldScore,
  type MatchCounts,
  type ProfileCounts,
  type QualityField,
} from './extraction-quality.js';
export { INTRO_FIXTURES_DIR, loadIntroFixtures, type IntroFixture } from './intro-fixtures.js';
export { wordErrorRate } from './wer.js';
