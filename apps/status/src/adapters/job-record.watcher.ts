import { KvWatchInclude, type KV } from '@nats-io/kv';
import type { Logger } from '@nestjs/common';
import { Observable, Subject, filter, finalize, share } from 'rxjs';
import type { JobRecord } from '@introeval/contracts';

/** How long to wait before watching again after the watch ended by itself (NATS restarted, the stream was reset). */
const REWATCH_MS = 1000;

/**
 * Every write of a job record, as it happens: ONE KV watch of the jobs bucket per status process, open only while some
 * WatchJob stream listens, fanned out by job id. The snapshot is polled; the record is not, so a stage that takes a
 * few milliseconds (the rules engines) still shows in a watcher's stream.
 */
export class JobRecordWatcher {
  private readonly all$: Observable<JobRecord>;

  constructor(
    kv: KV,
    private readonly logger: Pick<Logger, 'warn'>,
  ) {
    this.all$ = new Observable<JobRecord>((subscriber) => {
      const updates = new Subject<JobRecord>();
      const forwarded = updates.subscribe(subscriber);
      let stopped = false;
      let stop: (() => void) | null = null;
      let retry: NodeJS.Timeout | null = null;
      const watch = async (): Promise<void> => {
        try {
          // Updates only: a watcher reads the record it starts from itself.
          const iterator = await kv.watch({ key: '>', include: KvWatchInclude.UpdatesOnly });
          stop = () => iterator.stop();
          if (stopped) iterator.stop();
          for await (const entry of iterator) {
            if (entry.operation !== 'PUT') continue;
            try {
              updates.next(entry.json<JobRecord>());
            } catch {
              this.logger.warn(`job record ${entry.key} (revision ${entry.revision}) is not JSON; skipped`);
            }
          }
        } catch (error) {
          this.logger.warn(`the job record watch failed: ${(error as Error)?.message ?? String(error)}`);
        }
        if (!stopped) retry = setTimeout(() => void watch(), REWATCH_MS);
      };
      void watch();
      return () => {
        stopped = true;
        stop?.();
        if (retry) clearTimeout(retry);
        forwarded.unsubscribe();
      };
    }).pipe(
      finalize(() => (this.watching = false)),
      share(),
    );
  }

  /** Whether the bucket watch is open now (it closes with the last listener). */
  watching = false;

  /** The job's record each time it is written, from now on. */
  changes(jobId: string): Observable<JobRecord> {
    return new Observable<JobRecord>((subscriber) => {
      this.watching = true;
      return this.all$.pipe(filter((record) => record.id === jobId)).subscribe(subscriber);
    });
  }
}
