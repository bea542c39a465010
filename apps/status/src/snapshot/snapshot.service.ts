import type { Logger } from '@nestjs/common';
import { catchError, defer, EMPTY, exhaustMap, finalize, from, Observable, share, timer } from 'rxjs';
import { perStage, STAGES, type JobRecord, type Stage } from '@introeval/contracts';
import type { Forecast, ForecastFn, ForecastInput, JobForecast } from '@introeval/scheduling';
import type { WorkQueueReader } from '../adapters/work-queue.reader.js';
import type { SystemReader } from '../adapters/system.reader.js';
import { forecastInput, stageService } from './forecast-input.js';
import type { QueuedJob, Snapshot } from './snapshot.types.js';

/** What the snapshot reads job records with (JobStore). */
export interface JobRecords {
  get(id: string): Promise<JobRecord | null>;
}

export interface SnapshotOptions {
  queues: WorkQueueReader;
  system: SystemReader;
  jobs: JobRecords;
  forecast: ForecastFn;
  /** A snapshot younger than this is handed out as it is. */
  refreshMs: number;
  logger: Pick<Logger, 'warn' | 'error'>;
  clock?: () => number;
}

/** What the record adds to a queued message: read once per message, again only for a start not yet recorded. */
interface Details {
  studentId: string | null;
  startedAtMs: number | null;
}

/**
 * The one view of the system that every call and stream shares: read at most once per `refreshMs`, and only while
 * someone asks (a unary call, or a stream subscribed to `updates$`), so several replicas and hundreds of watchers cost
 * the queues what one reader costs. Each refresh ends with ONE forecast over the whole snapshot.
 */
export class SnapshotService {
  private latest: Snapshot | null = null;
  private refreshing: Promise<Snapshot> | null = null;
  private readonly details = new Map<number, Details>();
  private subscribers = 0;
  private polling = false;
  private readonly clock: () => number;
  private readonly shared$: Observable<Snapshot>;

  constructor(private readonly options: SnapshotOptions) {
    this.clock = options.clock ?? Date.now;
    // One timer for all streams, started by the first subscriber and stopped with the last.
    this.shared$ = defer(() => {
      this.polling = true;
      return timer(0, options.refreshMs);
    }).pipe(
      exhaustMap(() =>
        from(this.current()).pipe(
          catchError((error: unknown) => {
            // NATS away: streams stay open and resume with the next snapshot (health says NOT_SERVING meanwhile).
            this.options.logger.warn(`snapshot refresh failed: ${(error as Error)?.message ?? String(error)}`);
            return EMPTY;
          }),
        ),
      ),
      finalize(() => (this.polling = false)),
      share(),
    );
  }

  /** Snapshots as they are refreshed, from now on, for as long as the subscription lasts. */
  get updates$(): Observable<Snapshot> {
    return new Observable<Snapshot>((subscriber) => {
      this.subscribers++;
      const subscription = this.shared$.subscribe(subscriber);
      return () => {
        this.subscribers--;
        subscription.unsubscribe();
      };
    });
  }

  /** Streams subscribed now, and whether the shared timer runs: what a cancelled stream must give back. */
  get usage(): { subscribers: number; polling: boolean } {
    return { subscribers: this.subscribers, polling: this.polling };
  }

  /**
   * The latest snapshot when it is fresh enough (and taken at or after `notBeforeMs`, when given: a watcher that has
   * just heard its job move asks for a snapshot that can show the move), else a new one. Concurrent callers share
   * the same refresh, so a burst of such requests costs one read.
   */
  async current(notBeforeMs = 0): Promise<Snapshot> {
    const now = this.clock();
    const notBefore = Math.min(notBeforeMs, now);
    const usable = (s: Snapshot | null): s is Snapshot => s !== null && now - s.atMs < this.options.refreshMs && s.atMs >= notBefore;
    if (usable(this.latest)) return this.latest;
    // A refresh under way may have started before `notBefore`: wait for it, then look again.
    if (this.refreshing) {
      const shared = await this.refreshing;
      if (shared.atMs >= notBefore) return shared;
    }
    this.refreshing ??= this.refresh().finally(() => (this.refreshing = null));
    return this.refreshing;
  }

  private async refresh(): Promise<Snapshot> {
    const [queues, system] = await Promise.all([this.options.queues.read(), this.options.system.read()]);
    const atMs = this.clock();
    const withDetails = await this.addDetails(queues);
    const stages = perStage((stage) => ({
      stage,
      waiting: withDetails[stage].waiting,
      inFlight: withDetails[stage].inFlight,
      consumers: system.heartbeats.filter((h) => h.stage === stage).length,
      service: stageService(stage, system.heartbeats),
      deadLetters: system.deadLetters[stage],
    }));
    const input = forecastInput(withDetails, system.nodes, system.heartbeats, atMs);
    const replayed = this.runForecast(input);
    const forecast = replayed ?? noForecast(atMs);
    const snapshot: Snapshot = {
      atMs,
      stages,
      nodes: system.nodes,
      nodesOfStage: perStage((stage) => [
        ...new Set(system.heartbeats.flatMap((h) => (h.stage === stage && h.node !== null ? [h.node] : []))),
      ]),
      forecast,
      forecastOf: replayed ? this.arrivalsForecast(input, replayed) : () => undefined,
    };
    this.latest = snapshot;
    return snapshot;
  }

  /** Snapshot.forecastOf over this refresh's forecast: a job in transit between stages is replayed on demand. */
  private arrivalsForecast(input: ForecastInput, forecast: Forecast): Snapshot['forecastOf'] {
    const extra = new Map<string, JobForecast | undefined>();
    return (record) => {
      const known = forecast.jobs.get(record.id);
      if (known) return known;
      if (!extra.has(record.id)) {
        const timing = record.stages[record.stage];
        const running = record.status === 'processing' && Boolean(timing?.startedAt) && !timing?.finishedAt;
        const last = input.jobs.reduce((max, job) => Math.max(max, job.order), 0);
        const arriving = {
          id: record.id,
          stage: record.stage,
          state: running ? ('running' as const) : ('waiting' as const),
          order: last + 1,
          queuedAtSec: input.nowSec,
          startedAtSec: running ? Date.parse(timing!.startedAt!) / 1000 : null,
        };
        extra.set(record.id, this.runForecast({ ...input, jobs: [...input.jobs, arriving] })?.jobs.get(record.id));
      }
      return extra.get(record.id);
    };
  }

  /** The replay, or null when it failed (logged). */
  private runForecast(input: ForecastInput): Forecast | null {
    try {
      return this.options.forecast(input);
    } catch (error) {
      // Positions and what a job waits for do not need the forecast: serve them without ETAs rather than not at all.
      this.options.logger.error(`the forecast failed; serving no ETAs: ${(error as Error)?.stack ?? String(error)}`);
      return null;
    }
  }

  private async addDetails(
    queues: Awaited<ReturnType<WorkQueueReader['read']>>,
  ): Promise<Record<Stage, { waiting: QueuedJob[]; inFlight: QueuedJob[] }>> {
    const present = new Set<number>();
    const reads: Promise<void>[] = [];
    for (const stage of STAGES) {
      for (const [list, running] of [
        [queues[stage].waiting, false],
        [queues[stage].inFlight, true],
      ] as const) {
        for (const message of list) {
          present.add(message.seq);
          const known = this.details.get(message.seq);
          if (known && (!running || known.startedAtMs !== null)) continue;
          reads.push(this.readDetails(message.seq, message.jobId, stage, running));
        }
      }
    }
    await Promise.all(reads);
    for (const seq of this.details.keys()) if (!present.has(seq)) this.details.delete(seq);
    const join = (message: (typeof queues)[Stage]['waiting'][number]): QueuedJob => ({
      ...message,
      ...(this.details.get(message.seq) ?? { studentId: null, startedAtMs: null }),
    });
    return perStage((stage) => ({ waiting: queues[stage].waiting.map(join), inFlight: queues[stage].inFlight.map(join) }));
  }

  private async readDetails(seq: number, jobId: string | null, stage: Stage, running: boolean): Promise<void> {
    const record = jobId ? await this.options.jobs.get(jobId) : null;
    const started = running ? record?.stages[stage]?.startedAt : null;
    this.details.set(seq, { studentId: record?.studentId ?? null, startedAtMs: started ? Date.parse(started) : null });
  }
}

/** What a snapshot carries when the replay failed: no job has an ETA. */
function noForecast(atMs: number): Forecast {
  return { atSec: atMs / 1000, jobs: new Map(), nodes: new Map(), basis: 'no forecast (it failed; see the logs)' };
}
