import { Logger } from '@nestjs/common';
import { catchError, concatMap, distinctUntilChanged, EMPTY, from, map, takeWhile, throwError, type Observable } from 'rxjs';
import { IntroEvalError, type SubmissionStatus } from '@introeval/contracts';
import type { JobStore } from '@introeval/storage';
import type { SnapshotService } from './snapshot/snapshot.service.js';
import { jobStatus } from './views/job-status.js';

/** An ETA that moved by less than this (or 10 % of the time left, when that is more) is not news to a watcher. */
const ETA_TOLERANCE_SEC = 2;

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
  ) {}

  async get(jobId: string): Promise<SubmissionStatus> {
    const [record, snapshot] = await Promise.all([this.jobs.require(jobId), this.snapshots.current()]);
    return jobStatus(record, snapshot);
  }

  /**
   * Every change of the job, starting with how it stands now; completes after the final result. Unsubscribing (the
   * client cancelled) releases its share of the snapshot timer.
   */
  watch(jobId: string): Observable<SubmissionStatus> {
    return this.snapshots.updates$.pipe(
      concatMap((snapshot) =>
        from(this.jobs.require(jobId)).pipe(
          map((record) => jobStatus(record, snapshot)),
          catchError((error: unknown) => {
            // NOT_FOUND and the like end the stream; a NATS hiccup skips this round.
            if (error instanceof IntroEvalError) return throwError(() => error);
            this.logger.warn(`job ${jobId}: could not read its record this round: ${(error as Error)?.message}`);
            return EMPTY;
          }),
        ),
      ),
      distinctUntilChanged(sameForWatcher),
      takeWhile((status) => !isFinalStatus(status), true),
    );
  }
}
