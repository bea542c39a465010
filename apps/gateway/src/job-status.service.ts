import { Inject, Injectable, Logger, type MessageEvent } from '@nestjs/common';
import { catchError, endWith, ignoreElements, interval, map, merge, of, share, takeUntil, type Observable } from 'rxjs';
import { ErrorCode, IntroEvalError, isFinal, toSubmissionResult, withoutPlace, type JobRecord, type SubmissionStatus } from '@introeval/contracts';
import type { StatusCredentials } from '@introeval/status-api';
import { JobStore } from '@introeval/storage';
import { StatusClient } from './status.client.js';

/** A comment-free keep-alive: proxies close an event stream that stays silent for a minute or so. */
const PING_MS = 15_000;
/** How long a browser's EventSource waits before it reconnects after the stream ended without a final state. */
const RECONNECT_MS = 3_000;

/** Event types of `GET /api/submissions/:id/events` (docs/status.md). */
export const JobEventType = {
  /** `data`: the job's SubmissionStatus, on every change; the last one is final (completed or failed). */
  status: 'status',
  /** Sent after the final status: the stream ends and the client should not reconnect. */
  end: 'end',
  /** `data`: `{ error }`; the live view is unavailable for now; reconnect (EventSource does, after `retry`). */
  unavailable: 'unavailable',
  ping: 'ping',
} as const;

/**
 * A job as the student follows it: the result contract plus position, what it waits for and the ETA, from the status
 * service. The result never depends on status being up: while it is unreachable, an unfinished job shows its stored
 * state without a place in line (and a warning goes to the log), and a finished one needs no status at all.
 */
@Injectable()
export class JobStatusService {
  private readonly logger = new Logger('job status');

  constructor(
    @Inject(JobStore) private readonly jobs: JobStore,
    @Inject(StatusClient) private readonly status: StatusClient,
  ) {}

  /** The stored record, or NOT_FOUND naming the submission. */
  async require(id: string): Promise<JobRecord> {
    const record = await this.jobs.get(id);
    if (!record) throw IntroEvalError.permanent(ErrorCode.NotFound, `submission ${id} does not exist`);
    return record;
  }

  async current(id: string, credentials: StatusCredentials): Promise<SubmissionStatus> {
    const record = await this.require(id);
    if (isFinal(record)) return withoutPlace(toSubmissionResult(record));
    try {
      return await this.status.getJob(id, credentials);
    } catch (error) {
      if (!(error instanceof IntroEvalError) || error.code !== ErrorCode.Unavailable) throw error;
      this.logger.warn(`job ${id}: the status service is unavailable (${error.message}); answering without its position`);
      return withoutPlace(toSubmissionResult(await this.require(id)));
    }
  }

  /** The job's changes as Server-Sent Events, from WatchJob; ends after the final state. */
  events(id: string, credentials: StatusCredentials): Observable<MessageEvent> {
    const updates = this.status.watchJob(id, credentials).pipe(
      map((status): MessageEvent => ({ type: JobEventType.status, data: status })),
      endWith<MessageEvent>({ type: JobEventType.end, data: {} }),
      catchError((error: unknown) => {
        const failure = error instanceof IntroEvalError ? error : new IntroEvalError(ErrorCode.Internal, String(error), false);
        this.logger.warn(`job ${id}: event stream ended early: ${failure.code} ${failure.message}`);
        const data = { error: { code: failure.code, message: failure.message } };
        return of<MessageEvent>({ type: JobEventType.unavailable, data, retry: RECONNECT_MS });
      }),
      share(),
    );
    const ended = updates.pipe(ignoreElements(), endWith(null));
    const pings = interval(PING_MS).pipe(
      map((): MessageEvent => ({ type: JobEventType.ping, data: {} })),
      takeUntil(ended),
    );
    return merge(updates, pings);
  }
}
