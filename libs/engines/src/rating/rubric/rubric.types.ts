/** The rubric's criteria, in the order an introduction is judged and reported. */
export const CRITERIA = ['content', 'structure', 'clarity', 'professionalism', 'delivery'] as const;
export type Criterion = (typeof CRITERIA)[number];

/** The score levels that carry a written anchor; 2 and 4 lie between them. */
export const ANCHOR_LEVELS = ['1', '3', '5'] as const;
export type AnchorLevel = (typeof ANCHOR_LEVELS)[number];

export interface RubricCriterion {
  id: Criterion;
  /** Share of the 0..100 total this criterion carries; the five weights sum to 100. */
  weight: number;
  /** What the criterion looks at, in one or two sentences (shown to the rating model). */
  description: string;
  /** What an introduction that deserves 1, 3 and 5 looks like. */
  anchors: Readonly<Record<AnchorLevel, string>>;
}

/**
 * Caps that hold whatever an engine judges, so that no engine (a model least of all) can give a high score to an
 * answer too short to earn it. Word counts are of the transcript.
 */
export interface RubricGuards {
  /** Below this many words an answer is too short to judge fully. */
  shortAnswerWords: number;
  /** The most content can score below `shortAnswerWords`. */
  shortAnswerContentMax: number;
  /** The most clarity, professionalism and delivery can score below `shortAnswerWords`. */
  shortAnswerOtherMax: number;
  /** Below this many words an answer is brief: content cannot be complete. */
  briefAnswerWords: number;
  /** The most content can score below `briefAnswerWords`. */
  briefAnswerContentMax: number;
  /**
   * The most delivery can score without word timings (a text submission shows no pace or pauses): the code's
   * judgement of fillers and length is lowered by `5 - textDeliveryMax`, so every penalty still shows.
   */
  textDeliveryMax: number;
}

/** A validated rubric: every criterion present once, weights summing to 100, anchors for 1, 3 and 5. */
export interface Rubric {
  /** Recorded in every result's rating provenance; changes whenever a weight, anchor or guard changes. */
  version: string;
  criteria: Readonly<Record<Criterion, RubricCriterion>>;
  guards: Readonly<RubricGuards>;
  /** Where the rubric was read from, for messages. */
  source: string;
}

/** One score 1..5 per criterion. */
export type CriterionScores = Record<Criterion, number>;

/** An engine's verdict on one criterion: the score 1..5 and, where it can say, what would raise it. */
export interface CriterionJudgement {
  score: number;
  advice: string | null;
}

export type CriterionJudgements = Record<Criterion, CriterionJudgement>;

/** "professionalism" -> "Professionalism". */
export function criterionLabel(criterion: Criterion): string {
  return criterion.charAt(0).toUpperCase() + criterion.slice(1);
}
