import type { GroupDriver, ResidentModel } from './group-driver.js';

/**
 * Several drivers acting as one group, the first being the base the others run inside. `load` runs them in order,
 * `unload` in reverse order, `loaded` is true when all are (asked in order, stopping at the first that says no).
 * The Kubernetes case: scale the engine's Deployment up, then preload and confirm its models through its Service;
 * on release, unload the models first (which waits for running requests), then scale to 0. When the base is not
 * up, there is nothing inside it to unload: only the base is unloaded (the others could not be reached anyway).
 */
export class GroupDriverChain implements GroupDriver {
  readonly description: string;
  private readonly drivers: readonly GroupDriver[];

  constructor(drivers: readonly GroupDriver[]) {
    if (drivers.length === 0) throw new Error('a driver chain needs at least one driver');
    this.drivers = [...drivers];
    this.description = this.drivers.map((driver) => driver.description).join(' + ');
  }

  async load(signal?: AbortSignal): Promise<void> {
    for (const driver of this.drivers) await driver.load(signal);
  }

  async unload(signal?: AbortSignal): Promise<void> {
    const [base, ...inner] = this.drivers as [GroupDriver, ...GroupDriver[]];
    // A base that cannot tell (its API is down) is treated as down: its own unload then retries until it can.
    const baseUp = inner.length > 0 && (await base.loaded().catch(() => false));
    if (baseUp) for (const driver of inner.reverse()) await driver.unload(signal);
    await base.unload(signal);
  }

  async loaded(): Promise<boolean> {
    for (const driver of this.drivers) if (!(await driver.loaded())) return false;
    return true;
  }

  /** What the innermost engine reports, once the base is up; nothing while the base reports nothing (no pod). */
  async resident(): Promise<ResidentModel[]> {
    const [base, ...inner] = this.drivers as [GroupDriver, ...GroupDriver[]];
    const outer = await base.resident();
    if (outer.length === 0 || inner.length === 0) return outer;
    return inner[inner.length - 1].resident();
  }
}
