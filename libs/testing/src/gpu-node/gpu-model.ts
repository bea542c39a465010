import type { BusyInterval, GpuModelSpec, ResidencyInterval } from './gpu-node.types.js';
import { ProcessorSharingQueue, type SharedJob } from './processor-sharing.js';
import type { SimClock, SimEvent } from './sim-clock.js';
import type { VramCard } from './vram-card.js';

/** Ollama's OLLAMA_MAX_QUEUE: more pending requests than this for one model are refused with 503. */
export const DEFAULT_MAX_QUEUE = 512;

/** More requests are pending than the model's maxQueue allows. */
export class QueueFullError extends Error {
  constructor(readonly model: string) {
    super(`${model}: maximum pending requests exceeded`);
    this.name = 'QueueFullError';
  }
}

/** How one request went, in simulated seconds. */
export type ServeOutcome =
  | { kind: 'served'; arrivedAt: number; startedAt: number; endedAt: number; loadWaitSec: number }
  | { kind: 'cancelled' };

export interface ServeTicket {
  /** Settles when the latency model says the answer is ready, or when the request was cancelled. */
  readonly done: Promise<ServeOutcome>;
  /** The client went away: frees its slot (or its place in the queue). */
  cancel(): void;
}

/** Waits for a ticket, cancelling it if the client goes away first (`signal`: the request's connection). */
export async function untilServed(ticket: ServeTicket, signal: AbortSignal): Promise<ServeOutcome> {
  const cancel = () => ticket.cancel();
  if (signal.aborted) cancel();
  else signal.addEventListener('abort', cancel, { once: true });
  try {
    return await ticket.done;
  } finally {
    signal.removeEventListener('abort', cancel);
  }
}

interface JobState {
  epoch: number | null;
  arrivedAt: number;
  loadWaitSec: number;
  busy: BusyInterval | null;
  settled: boolean;
  resolve: (outcome: ServeOutcome) => void;
}

interface Instance {
  record: ResidencyInterval;
  loading: boolean;
  queue: ProcessorSharingQueue<JobState>;
  /** How long it stays loaded once idle: seconds, 0 = unload when idle, negative = forever. */
  keepAliveSec: number;
  /** An unload was asked for while it was busy: it happens when the last request is done. */
  unloadPending: boolean;
  expiry: SimEvent | null;
  completion: SimEvent | null;
  loadWaiters: Array<() => void>;
}

/** What /api/ps needs to know about a model. */
export interface ModelPresence {
  state: 'loading' | 'loaded';
  record: ResidencyInterval;
  /** Simulated time it unloads by itself; Infinity = never; null while busy or loading. */
  expiresAt: number | null;
  keepAliveSec: number;
  busy: boolean;
}

export interface GpuModelContext {
  clock: SimClock;
  card: VramCard;
  busyLog: BusyInterval[];
  unloadLagSec: number;
  /** Keep-alive of a request that names none (Ollama's OLLAMA_KEEP_ALIVE, speaches' STT_MODEL_TTL). */
  defaultKeepAliveSec: number;
}

/**
 * One model on the card: its residency (load, keep-alive expiry, unload), and its latency model while loaded.
 * API-neutral: the Ollama and speaches routes translate their own requests into these calls. Every method runs
 * the clock's due events first, so it acts at an exact simulated time.
 */
export class GpuModel {
  private instance: Instance | null = null;

  constructor(
    readonly spec: GpuModelSpec,
    private readonly ctx: GpuModelContext,
  ) {}

  /** Present on the card (loading or loaded), as /api/ps reports it; null when not. */
  presence(): ModelPresence | null {
    this.ctx.clock.advance();
    const inst = this.instance;
    if (!inst) return null;
    const busy = inst.queue.size > 0;
    let expiresAt: number | null = null;
    if (!inst.loading && !busy) expiresAt = inst.expiry?.time ?? (inst.keepAliveSec < 0 ? Infinity : null);
    return { state: inst.loading ? 'loading' : 'loaded', record: inst.record, expiresAt, keepAliveSec: inst.keepAliveSec, busy };
  }

  /**
   * Queues one request, loading the model first when it is absent. Throws OutOfVramError when that load does not
   * fit, QueueFullError when too many requests wait. `keepAliveSec` (Ollama) replaces the model's keep-alive, as
   * the latest request's keep_alive does in Ollama; undefined = the default.
   */
  request(options: { epoch: number | null; keepAliveSec?: number }): ServeTicket {
    const clock = this.ctx.clock;
    clock.advance();
    const maxQueue = this.spec.maxQueue ?? DEFAULT_MAX_QUEUE;
    if (this.spec.api === 'ollama' && this.instance && this.instance.queue.waitingCount >= maxQueue) {
      throw new QueueFullError(this.spec.name);
    }
    const t = clock.now();
    const inst = this.ensureInstance(t);
    this.touch(inst, options.keepAliveSec);
    let resolve!: (outcome: ServeOutcome) => void;
    const done = new Promise<ServeOutcome>((r) => (resolve = r));
    const state: JobState = {
      epoch: options.epoch,
      arrivedAt: t,
      loadWaitSec: inst.loading ? inst.record.loadStart + this.spec.loadSec - t : 0,
      busy: null,
      settled: false,
      resolve,
    };
    const { job, started } = inst.queue.arrive(state, t);
    this.onStarted(started, t);
    this.reschedule(inst);
    return { done, cancel: () => this.cancel(inst, job) };
  }

  /**
   * Loads the model (an empty Ollama request, speaches' POST /api/ps): resolves when it is loaded, at once when it
   * already is. Throws OutOfVramError when it does not fit.
   */
  load(keepAliveSec?: number): Promise<void> {
    this.ctx.clock.advance();
    const inst = this.ensureInstance(this.ctx.clock.now());
    this.touch(inst, keepAliveSec);
    if (!inst.loading) {
      if (inst.queue.size === 0) this.whenIdle(inst);
      return Promise.resolve();
    }
    return new Promise<void>((resolve) => inst.loadWaiters.push(resolve));
  }

  /**
   * Ollama's unload (keep_alive 0): now when idle; when busy or loading, once the last request is done (the
   * model stays in /api/ps until then). A later request cancels a pending unload, as in Ollama.
   */
  unloadWhenIdle(): void {
    this.ctx.clock.advance();
    const inst = this.instance;
    if (!inst) return;
    inst.keepAliveSec = 0;
    inst.unloadPending = true;
    if (!inst.loading && inst.queue.size === 0) this.unloadNow(inst);
  }

  /** speaches' DELETE /api/ps/{model}: refuses while loading or serving, as speaches' reference count does. */
  unloadIfIdle(): 'unloaded' | 'not-loaded' | 'in-use' {
    this.ctx.clock.advance();
    const inst = this.instance;
    if (!inst) return 'not-loaded';
    if (inst.loading || inst.queue.size > 0) return 'in-use';
    this.unloadNow(inst);
    return 'unloaded';
  }

  private ensureInstance(t: number): Instance {
    if (this.instance) return this.instance;
    const clock = this.ctx.clock;
    const record = this.ctx.card.allocate(this.spec, t); // throws OutOfVramError
    const inst: Instance = {
      record,
      loading: true,
      queue: new ProcessorSharingQueue<JobState>(this.spec),
      keepAliveSec: this.ctx.defaultKeepAliveSec,
      unloadPending: false,
      expiry: null,
      completion: null,
      loadWaiters: [],
    };
    this.instance = inst;
    clock.at(t + this.spec.loadSec, () => this.finishLoad(inst));
    return inst;
  }

  private finishLoad(inst: Instance): void {
    const t = this.ctx.clock.now();
    this.ctx.card.loaded(inst.record, t);
    inst.loading = false;
    this.onStarted(inst.queue.openAt(t), t);
    this.reschedule(inst);
    for (const resolve of inst.loadWaiters.splice(0)) resolve();
    if (inst.queue.size === 0) this.whenIdle(inst);
  }

  /** A request or load arrived: it holds the model, and its keep-alive is the one that counts from now on. */
  private touch(inst: Instance, keepAliveSec: number | undefined): void {
    inst.expiry?.cancel();
    inst.expiry = null;
    inst.keepAliveSec = keepAliveSec ?? this.ctx.defaultKeepAliveSec;
    inst.unloadPending = false;
  }

  private onStarted(started: SharedJob<JobState>[], t: number): void {
    for (const job of started) {
      const busy: BusyInterval = {
        model: this.spec.name,
        group: this.spec.group,
        start: t,
        end: null,
        epoch: job.payload.epoch,
        cancelled: false,
      };
      job.payload.busy = busy;
      this.ctx.busyLog.push(busy);
    }
  }

  private reschedule(inst: Instance): void {
    inst.completion?.cancel();
    inst.completion = null;
    const next = inst.queue.nextCompletion();
    if (next !== null) inst.completion = this.ctx.clock.at(next, () => this.complete(inst));
  }

  private complete(inst: Instance): void {
    const t = this.ctx.clock.now();
    const { finished, started } = inst.queue.completeDue(t);
    for (const job of finished) {
      const s = job.payload;
      s.busy!.end = t;
      s.settled = true;
      s.resolve({ kind: 'served', arrivedAt: s.arrivedAt, startedAt: job.startedAt!, endedAt: t, loadWaitSec: s.loadWaitSec });
    }
    this.onStarted(started, t);
    this.reschedule(inst);
    if (inst.queue.size === 0) this.whenIdle(inst);
  }

  private cancel(inst: Instance, job: SharedJob<JobState>): void {
    this.ctx.clock.advance();
    const s = job.payload;
    if (s.settled) return;
    s.settled = true;
    const t = this.ctx.clock.now();
    if (s.busy) {
      s.busy.end = t;
      s.busy.cancelled = true;
    }
    this.onStarted(inst.queue.cancel(job, t), t);
    this.reschedule(inst);
    s.resolve({ kind: 'cancelled' });
    if (!inst.loading && inst.queue.size === 0) this.whenIdle(inst);
  }

  private whenIdle(inst: Instance): void {
    if (this.instance !== inst) return;
    inst.expiry?.cancel();
    inst.expiry = null;
    if (inst.unloadPending || inst.keepAliveSec === 0) {
      this.unloadNow(inst);
    } else if (inst.keepAliveSec > 0) {
      inst.expiry = this.ctx.clock.at(this.ctx.clock.now() + inst.keepAliveSec, () => this.unloadNow(inst));
    }
  }

  private unloadNow(inst: Instance): void {
    if (this.instance !== inst) return;
    this.instance = null;
    inst.expiry?.cancel();
    inst.completion?.cancel();
    const t = this.ctx.clock.now();
    const freedAt = t + this.ctx.unloadLagSec;
    this.ctx.card.release(inst.record, t, freedAt);
    if (freedAt > t) this.ctx.clock.at(freedAt, () => this.ctx.card.freed(inst.record));
    else this.ctx.card.freed(inst.record);
  }
}
