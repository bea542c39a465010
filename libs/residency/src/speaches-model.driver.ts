import { engineCall } from '@introeval/engine-http';
import { parseEngineJson } from './engine-policy.js';
import { ModelServerDriver, type ModelServerDriverOptions } from './model-server.driver.js';

export type SpeachesModelDriverOptions = ModelServerDriverOptions;

/** speaches answers 409 to an unload while the model is transcribing (or still loading): try again. */
const IN_USE = 409;

/**
 * A residency group served by speaches (faster-whisper). Loads with `POST /api/ps/{model}` (201; 409 means it was
 * already loaded), unloads with `DELETE /api/ps/{model}` (204; 404 means it was not loaded; 409 means a request
 * is using it, retried until the time limit), and confirms both through `GET /api/ps`.
 * Run speaches with `STT_MODEL_TTL=-1`, or it unloads an idle model by itself in the middle of a granted phase.
 */
export class SpeachesModelDriver extends ModelServerDriver {
  constructor(options: SpeachesModelDriverOptions) {
    super('speaches', options);
  }

  protected async requestLoad(model: string, signal: AbortSignal): Promise<void> {
    await engineCall({ url: this.modelUrl(model), init: { method: 'POST' }, signal, okStatuses: [409] });
  }

  protected async requestUnload(model: string, signal: AbortSignal): Promise<void> {
    await engineCall({ url: this.modelUrl(model), init: { method: 'DELETE' }, signal, okStatuses: [404] });
  }

  protected override unloadRetryStatuses(): readonly number[] {
    return [IN_USE];
  }

  /** speaches lists model ids only: how much VRAM each holds it does not say. */
  protected async listResident(signal: AbortSignal): Promise<Map<string, number | null>> {
    const { body } = await engineCall({ url: `${this.url}/api/ps`, signal });
    const { models } = parseEngineJson(body, `${this.url}/api/ps`) as { models?: unknown[] | null };
    const ids = (models ?? []).filter((model): model is string => typeof model === 'string');
    return new Map(ids.map((id) => [id, null]));
  }

  protected modelKey(model: string): string {
    return model;
  }

  /** The model id is a path (`owner/name`), as speaches routes it: each segment encoded, the slashes kept. */
  private modelUrl(model: string): string {
    return `${this.url}/api/ps/${model.split('/').map(encodeURIComponent).join('/')}`;
  }
}
