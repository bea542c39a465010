import type { EngineProvenance } from '@introeval/contracts';
import type { RateInput, RatingEngine, RatingOutcome, RatingResult } from '../engine.types.js';
import { judgeDelivery } from './rubric/delivery-judgement.js';
import { ratingFacts } from './rubric/rating-facts.js';
import { defaultRubric } from './rubric/rubric.loader.js';
import { rubricResult } from './rubric/rubric-rating.js';
import { sentence } from './rubric/advice-text.js';
import type { CriterionJudgement, CriterionJudgements, Rubric } from './rubric/rubric.types.js';
import type { OllamaClient } from '../ollama/ollama.client.js';
import { RatingAnswerDto, type CriterionAnswerDto } from './rating-answer.dto.js';
import { RATING_PROMPT_VERSION, ratingSystemPrompt, ratingUserMessage } from './rating-prompt.js';
import { RATING_JSON_SCHEMA } from './rating.schema.js';

/**
 * Rubric rating with an LLM on Ollama (Llama 3 in the lab). The model judges content, structure, clarity and
 * professionalism against the rubric's anchors, each with a short justification, in one JSON-Schema-constrained
 * chat (validated, one repair turn: OllamaClient.chatJson). Everything else is code, exactly as for the rules
 * engine: delivery from the metrics, the guards (a short answer cannot score high on content, whatever the model
 * says), the weighted total and the feedback (the model's justifications become the weakest criteria's advice).
 */
export class OllamaRatingEngine implements RatingEngine {
  private readonly version: string;
  private readonly system: string;
  private chain: EngineProvenance;

  constructor(
    private readonly client: OllamaClient,
    private readonly rubric: Rubric = defaultRubric(),
  ) {
    this.version = `${rubric.version}+${RATING_PROMPT_VERSION}`;
    this.system = ratingSystemPrompt(rubric);
    this.chain = { engine: 'ollama', model: client.model, version: this.version };
  }

  /**
   * Engine, model, rubric and prompt version, plus the model digest once a call has looked it up. Per-call figures
   * (tokens, load time) are not here, since concurrent calls would overwrite each other's: see
   * `rateWithProvenance`.
   */
  get provenance(): EngineProvenance {
    return this.chain;
  }

  async rate(input: RateInput): Promise<RatingResult> {
    const { scores, feedback } = await this.rateWithProvenance(input);
    return { scores, feedback };
  }

  /** `rate`, plus the provenance of this call: digest, prompt and answer tokens, model load time. */
  async rateWithProvenance({ transcript, profile, metrics, signal, epoch }: RateInput): Promise<RatingOutcome> {
    const facts = ratingFacts(transcript, profile, metrics);
    // The digest lookup is cached and cheap; run it beside the chat rather than before it.
    const [answer, chain] = await Promise.all([
      this.client.chatJson({
        system: this.system,
        user: ratingUserMessage(facts.text),
        schema: RATING_JSON_SCHEMA,
        dto: RatingAnswerDto,
        signal,
        epoch,
      }),
      this.client.provenance(this.version),
    ]);
    this.chain = chain;
    const judged = answer.value;
    const judgements: CriterionJudgements = {
      content: fromModel(judged.content),
      structure: fromModel(judged.structure),
      clarity: fromModel(judged.clarity),
      professionalism: fromModel(judged.professionalism),
      delivery: judgeDelivery(facts),
    };
    const { scores, feedback } = rubricResult(this.rubric, facts, judgements);
    const { promptTokens, evalTokens, loadMs } = answer.stats;
    return { scores, feedback, provenance: { ...chain, promptTokens, evalTokens, loadMs } };
  }
}

/** A criterion as the model judged it; its justification, as a sentence, is the advice the feedback may quote. */
function fromModel(answer: CriterionAnswerDto): CriterionJudgement {
  const justification = answer.justification.trim();
  return { score: answer.score, advice: justification ? sentence(justification) : null };
}
