import type { ResidencyInterval } from './gpu-node.types.js';

/** Thrown when a load does not fit: the routes answer it the way each real server reports a CUDA OOM. */
export class OutOfVramError extends Error {
  constructor(
    readonly model: string,
    readonly neededMb: number,
    readonly freeMb: number,
  ) {
    super(`cannot load ${model}: needs ${neededMb} MB, ${freeMb} MB free`);
    this.name = 'OutOfVramError';
  }
}

/**
 * One card's memory. Every load of either API allocates here, so a whisper model and an LLM compete for the same
 * budget as they do on a real GPU. Free = budget - resident - loading - freed-but-lagging (after an unload a real
 * card takes up to ~1.5 s to show the memory free). The card never evicts anything to make room: real Ollama may
 * evict ITS OWN idle models, but it cannot touch speaches' memory, so a scheduler must not count on eviction.
 */
export class VramCard {
  private readonly log: ResidencyInterval[] = [];
  private readonly lagging = new Set<ResidencyInterval>();
  private oomCount = 0;
  private loadCount = 0;

  constructor(readonly budgetMb: number) {
    if (!(budgetMb > 0)) throw new Error(`vramMb must be > 0, got ${budgetMb}`);
  }

  /** Memory held now: models resident or loading, and unloaded ones whose memory does not show free yet. */
  usedMb(): number {
    let used = 0;
    for (const r of this.log) if (r.unloadedAt === null || this.lagging.has(r)) used += r.vramMb;
    return used;
  }

  freeMb(): number {
    return this.budgetMb - this.usedMb();
  }

  /** Starts a load at `t`, or throws OutOfVramError (counted) when it does not fit. */
  allocate(model: { name: string; group: string; vramMb: number }, t: number): ResidencyInterval {
    const free = this.freeMb();
    if (model.vramMb > free) {
      this.oomCount++;
      throw new OutOfVramError(model.name, model.vramMb, free);
    }
    const record: ResidencyInterval = {
      model: model.name,
      group: model.group,
      vramMb: model.vramMb,
      loadStart: t,
      loadedAt: null,
      unloadedAt: null,
      freedAt: null,
    };
    this.log.push(record);
    return record;
  }

  loaded(record: ResidencyInterval, t: number): void {
    record.loadedAt = t;
    this.loadCount++;
  }

  /** The model is gone at `t`; its memory shows free at `freedAt` (call `freed` then). */
  release(record: ResidencyInterval, t: number, freedAt: number): void {
    record.unloadedAt = t;
    record.freedAt = freedAt;
    if (freedAt > t) this.lagging.add(record);
  }

  freed(record: ResidencyInterval): void {
    this.lagging.delete(record);
  }

  residency(): ResidencyInterval[] {
    return this.log.map((r) => ({ ...r }));
  }

  loads(): number {
    return this.loadCount;
  }

  oomErrors(): number {
    return this.oomCount;
  }
}
