import { Logger } from '@nestjs/common';
import {
  catchError,
  concatMap,
  defer,
  distinctUntilChanged,
  EMPTY,
  filter,
  from,
  map,
  merge,
  of,
  takeWhile,
  throwError,
  type Observable,
} from 'rxjs';
import { IntroEvalError, type JobRecord, type SubmissionStatus } from '@introeval/contracts';
import type { JobStore } from '@introeval/storage';
import type { JobRecordWatcher } from './adapters/job-record.watcher.js';
import type { SnapshotService } from './snapshot/snapshot.service.js';
import type { Snapshot } from './snapshot/snapshot.types.js';
import { jobStatus } from './views/job-status.js';

/** An ETA that moved by less than this (or 10 % of the time left, when that is more) is not news to a watcher. */
const ETA_TOLERANCE_SEC = 2;

/** A watcher re-reads its record at most this often besides the writes it hears of. */
const RECORD_REREAD_MS = 5_000;

const isFinalStatus = (status: SubmissionStatus) => status.status === 'completed' || status.status === 'failed';

/** True when a watcher of `a` learns nothing from `b`: the same stage, place, wait and notice, and an ETA close by. */
export function sameForWatcher(a: SubmissionStatus, b: SubmissionStatus): boolean {
  const { eta: etaA, ...restA } = a;
  const { eta: etaB, ...restB } = b;
  if (JSON.stringify(restA) !== JSON.stringify(restB)) return false;
  if (etaA === null || etaB === null) return etaA === etaB;
  const moved = Math.abs(Date.parse(etaA.completeAt) - Date.parse(etaB.completeAt)) / 1000;
  return moved <= Math.max(ETA_TOLERANCE_SEC, 0.1 * etaA.remainingSec) && etaA.basis === etaB.basis;
}

/** One job's status, once or as it changes. The caller has already checked the credentials. */
export class JobStatusService {
  private readonly logger = new Logger(JobStatusService.name);

  constructor(
    private readonly jobs: Pick<JobStore, 'require'>,
    private readonly snapshots: SnapshotService,
    private readonly records: Pick<JobRecordWatcher, 'changes'>,
  ) {}

  async get(jobId: string): Promise<SubmissionStatus> {
    const [record, snapshot] = await Promise.all([this.jobs.require(jobId), this.snapshots.current()]);
    return jobStatus(record, snapshot);
  }

  /**
   * Every change of the job, starting with how it stands now; completes after the final result. Two things move it:
   * a write of its record (seen at once through the record watcher, so no stage is too quick to show) and a new
   * snapshot (its place, what it waits for and its ETA as the queues move). Unsubscribing (the client cancelled)
   * releases its share of the snapshot timer and of the record watch.
   */
  watch(jobId: string): Observable<SubmissionStatus> {
    return defer(() => {
      let record: JobRecord | null = null;
      let readAt = 0;
      let snapshot: Snapshot | null = null;
      const events$ = merge(
        of<Event>({ kind: 'start' }),
        this.records.changes(jobId).pipe(map((written): Event => ({ kind: 'record', record: written }))),
        this.snapshots.updates$.pipe(map((next): Event => ({ kind: 'snapshot', snapshot: next }))),
      );
      const step = async (event: Event): Promise<SubmissionStatus | null> => {
        if (event.kind === 'snapshot') snapshot = event.snapshot;
        if (event.kind === 'record') record = event.record;
        // The watch delivers every write; a read now and then guards against one it missed while reconnecting.
        if (event.kind === 'start' || (event.kind === 'snapshot' && Date.now() - readAt > RECORD_REREAD_MS)) {
          record = await this.jobs.require(jobId);
          readAt = Date.now();
        }
        // A write moves the job: ask for a snapshot from after it, so that its new place shows with it.
        if (event.kind !== 'snapshot') snapshot = await this.snapshots.current(record ? Date.parse(record.updatedAt) || 0 : 0);
        return record && snapshot ? jobStatus(record, snapshot) : null;
      };
      return events$.pipe(
        concatMap((event) =>
          from(step(event)).pipe(
            catchError((error: unknown) => {
              // NOT_FOUND and the like end the stream; a NATS hiccup skips this round.
              if (error instanceof IntroEvalError) return throwError(() => error);
              this.logger.warn(`job ${jobId}: skipped an update: ${(error as Error)?.message ?? String(error)}`);
              return EMPTY;
            }),
          ),
        ),
        filter((status): status is SubmissionStatus => status !== null),
        distinctUntilChanged(sameForWatcher),
        takeWhile((status) => !isFinalStatus(status), true),
      );
    });
  }
}

type Event = { kind: 'start' } | { kind: 'record'; record: JobRecord } | { kind: 'snapshot'; snapshot: Snapshot };
