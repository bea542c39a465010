import { engineCall } from '@introeval/engine-http';
import { parseEngineJson } from './engine-policy.js';
import { ModelServerDriver, type ModelServerDriverOptions } from './model-server.driver.js';
import { ollamaModelKey } from './ollama-model-name.js';

export type OllamaModelDriverOptions = ModelServerDriverOptions;

interface OllamaPsEntry {
  name?: string;
  model?: string;
  /** Bytes of the model in VRAM (the rest, if any, spilled to the CPU). */
  size_vram?: number;
}

const MB = 1024 * 1024;

/**
 * A residency group served by Ollama. Loads with an empty `/api/generate` and `keep_alive: -1` (resident until told
 * otherwise, so Ollama's own 5-minute expiry never unloads a granted phase), unloads with `keep_alive: 0`, and
 * confirms both through `GET /api/ps`. Ollama unloads a model only once its running requests finish, so `unload`
 * returns only then. A load that finds the card still full answers 500 (out of memory) and is retried.
 */
export class OllamaModelDriver extends ModelServerDriver {
  constructor(options: OllamaModelDriverOptions) {
    super('ollama', options);
  }

  protected async requestLoad(model: string, signal: AbortSignal): Promise<void> {
    await this.generate(model, -1, signal);
  }

  protected async requestUnload(model: string, signal: AbortSignal): Promise<void> {
    await this.generate(model, 0, signal);
  }

  protected async listResident(signal: AbortSignal): Promise<Map<string, number | null>> {
    const { body } = await engineCall({ url: `${this.url}/api/ps`, signal });
    const { models } = parseEngineJson(body, `${this.url}/api/ps`) as { models?: OllamaPsEntry[] | null };
    const keys = new Map<string, number | null>();
    for (const entry of models ?? []) {
      const vramMb = typeof entry.size_vram === 'number' && entry.size_vram >= 0 ? Math.round(entry.size_vram / MB) : null;
      for (const name of [entry.name, entry.model]) if (name) keys.set(ollamaModelKey(name), vramMb);
    }
    return keys;
  }

  protected modelKey(model: string): string {
    return ollamaModelKey(model);
  }

  /** An empty generate request: with keep_alive -1 it loads the model for good, with 0 it unloads it now. */
  private async generate(model: string, keepAlive: number, signal: AbortSignal): Promise<void> {
    await engineCall({
      url: `${this.url}/api/generate`,
      init: {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ model, keep_alive: keepAlive, stream: false }),
      },
      signal,
    });
  }
}
