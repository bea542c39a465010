import type { EngineProvenance, Profile } from '@introeval/contracts';
import type { ExtractInput, ExtractionEngine, ExtractionOutcome } from '../engine.types.js';
import { EXTRACTION_PROMPT_VERSION, EXTRACTION_SYSTEM_PROMPT, extractionUserMessage } from './extraction-prompt.js';
import type { OllamaClient } from '../ollama/ollama.client.js';
import { ProfileAnswerDto, profileFromAnswer } from './profile-answer.dto.js';
import { PROFILE_JSON_SCHEMA } from './profile.schema.js';

/**
 * Profile extraction with an LLM on Ollama (Mistral in the lab): one JSON-Schema-constrained chat per transcript,
 * validated, with one repair turn (see OllamaClient.chatJson). Concurrency, retries and timeouts are the client's.
 */
export class OllamaExtractionEngine implements ExtractionEngine {
  private chain: EngineProvenance;

  constructor(private readonly client: OllamaClient) {
    this.chain = { engine: 'ollama', model: client.model, version: EXTRACTION_PROMPT_VERSION };
  }

  /**
   * Engine, model and prompt version, plus the model digest once a call has looked it up. Per-call figures
   * (tokens, load time) are not here, since concurrent calls would overwrite each other's: see
   * `extractWithProvenance`.
   */
  get provenance(): EngineProvenance {
    return this.chain;
  }

  async extract(input: ExtractInput): Promise<Profile> {
    return (await this.extractWithProvenance(input)).profile;
  }

  /** `extract`, plus the provenance of this call: digest, prompt and answer tokens, model load time. */
  async extractWithProvenance({ text, signal, epoch }: ExtractInput): Promise<ExtractionOutcome> {
    // The digest lookup is cached and cheap; run it beside the chat rather than before it.
    const [answer, chain] = await Promise.all([
      this.client.chatJson({
        system: EXTRACTION_SYSTEM_PROMPT,
        user: extractionUserMessage(text),
        schema: PROFILE_JSON_SCHEMA,
        dto: ProfileAnswerDto,
        signal,
        epoch,
      }),
      this.client.provenance(EXTRACTION_PROMPT_VERSION),
    ]);
    this.chain = chain;
    const { promptTokens, evalTokens, loadMs } = answer.stats;
    return { profile: profileFromAnswer(answer.value), provenance: { ...chain, promptTokens, evalTokens, loadMs } };
  }
}
