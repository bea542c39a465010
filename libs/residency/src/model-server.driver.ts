import { abortReason } from '@introeval/process';
import { Deadline, pollUntilDone, retryUntilDone } from './deadline.js';
import { enginePolicy } from './engine-policy.js';
import type { GroupDriver, ResidentModel } from './group-driver.js';
import { probeOnce } from './probe-once.js';

/** What the Ollama and speaches drivers take. */
export interface ModelServerDriverOptions {
  /** The server's base URL, e.g. http://gpu-0:11434. */
  url: string;
  /** The group's models, as the stages name them. */
  models: string[];
  /** Pause between polls of /api/ps and between retries. Default 250 ms. */
  pollMs?: number;
  /**
   * Limit for one load or unload, retries and confirmation included. Default 120 s: a cold load takes 6-10 s, and
   * an unload waits for the requests still running on the model.
   */
  timeoutMs?: number;
  /**
   * After /api/ps stops listing the models, wait this long before reporting the memory free: a card can take up
   * to ~1.5 s to show VRAM free after an unload, and a load in that window fails out of memory (or, on Ollama,
   * silently spills layers to the CPU). Skipped when nothing was resident. Default 1500 ms.
   */
  settleMs?: number;
}

/**
 * A residency group on a model server with an `/api/ps` list of resident models (Ollama, speaches): ask for each
 * model to be loaded or unloaded, then confirm through /api/ps. Subclasses say how to ask and how to read the list.
 */
export abstract class ModelServerDriver implements GroupDriver {
  readonly description: string;
  protected readonly url: string;
  protected readonly models: readonly string[];
  private readonly pollMs: number;
  private readonly timeoutMs: number;
  private readonly settleMs: number;

  protected constructor(engine: string, options: ModelServerDriverOptions) {
    if (options.models.length === 0) throw new Error(`a ${engine} residency group needs at least one model`);
    this.url = options.url.replace(/\/+$/, '');
    this.models = [...options.models];
    this.pollMs = options.pollMs ?? 250;
    this.timeoutMs = options.timeoutMs ?? 120_000;
    this.settleMs = options.settleMs ?? 1500;
    this.description = `${engine} ${this.models.join(', ')} at ${this.url}`;
  }

  /** Asks the server to load `model` and keep it; resolves when the server says it is loaded. */
  protected abstract requestLoad(model: string, signal: AbortSignal): Promise<void>;
  /** Asks the server to unload `model` (now, or once its running requests finish). */
  protected abstract requestUnload(model: string, signal: AbortSignal): Promise<void>;
  /** The resident models, keyed as `modelKey` keys them, with the VRAM each holds (MB) where the server says. */
  protected abstract listResident(signal: AbortSignal): Promise<Map<string, number | null>>;
  /** The key a configured model name is listed under. */
  protected abstract modelKey(model: string): string;
  /** HTTP statuses that mean "busy, try the unload again" rather than "refused". */
  protected unloadRetryStatuses(): readonly number[] {
    return [];
  }

  async load(signal?: AbortSignal): Promise<void> {
    const what = `loading ${this.description}`;
    const deadline = new Deadline(what, this.timeoutMs, signal);
    const policy = enginePolicy(what);
    for (const model of this.models) await retryUntilDone(deadline, this.pollMs, policy, (s) => this.requestLoad(model, s));
    await pollUntilDone(deadline, this.pollMs, policy, async (s) => {
      const missing = this.listed(await this.listResident(s), false);
      return missing.length === 0 || `${missing.join(', ')} not listed by /api/ps`;
    });
  }

  async unload(signal?: AbortSignal): Promise<void> {
    const what = `unloading ${this.description}`;
    const deadline = new Deadline(what, this.timeoutMs, signal);
    const policy = enginePolicy(what, this.unloadRetryStatuses());
    const before = await retryUntilDone(deadline, this.pollMs, policy, (s) => this.listResident(s));
    if (this.listed(before, true).length === 0) return;
    for (const model of this.models) await retryUntilDone(deadline, this.pollMs, policy, (s) => this.requestUnload(model, s));
    await pollUntilDone(deadline, this.pollMs, policy, async (s) => {
      const still = this.listed(await this.listResident(s), true);
      return still.length === 0 || `${still.join(', ')} still listed by /api/ps`;
    });
    await deadline.sleep(this.settleMs);
    if (signal?.aborted) throw abortReason(signal);
  }

  async loaded(): Promise<boolean> {
    const resident = await probeOnce(this.description, this.timeoutMs, (s) => this.listResident(s));
    return this.listed(resident, false).length === 0;
  }

  async resident(): Promise<ResidentModel[]> {
    const resident = await probeOnce(this.description, this.timeoutMs, (s) => this.listResident(s));
    return this.listed(resident, true).map((model) => ({ model, vramMb: resident.get(this.modelKey(model)) ?? null }));
  }

  /** The group's models that are (`present` true) or are not (false) in `resident`. */
  private listed(resident: ReadonlyMap<string, unknown>, present: boolean): string[] {
    return this.models.filter((model) => resident.has(this.modelKey(model)) === present);
  }
}
