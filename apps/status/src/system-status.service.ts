import { distinctUntilChanged, map, type Observable } from 'rxjs';
import { toTimestamp, type ListNodesResponse, type ListQueuesResponse, type WatchSystemResponse } from '@introeval/status-api';
import type { SnapshotService } from './snapshot/snapshot.service.js';
import type { Snapshot } from './snapshot/snapshot.types.js';
import { gpuNodes, stageQueues } from './views/system-view.js';

/** The system as a dashboard sees it, without the clocks (ages, elapsed times) that change on every snapshot. */
function shape(view: WatchSystemResponse): string {
  return JSON.stringify(view, (key, value: unknown) =>
    ['observedAt', 'oldestWaitingSec', 'elapsedSec', 'reportedAt'].includes(key) ? undefined : value,
  );
}

/** The admin views: queues and nodes, once or as they change. The caller has already checked the admin token. */
export class SystemStatusService {
  constructor(
    private readonly snapshots: SnapshotService,
    /** WatchSystem re-sends at least this often even when only the clocks moved. */
    private readonly resendMs: number,
  ) {}

  async queues(): Promise<ListQueuesResponse> {
    const snapshot = await this.snapshots.current();
    return { queues: stageQueues(snapshot), observedAt: toTimestamp(snapshot.atMs) };
  }

  async nodes(): Promise<ListNodesResponse> {
    const snapshot = await this.snapshots.current();
    return { nodes: gpuNodes(snapshot), observedAt: toTimestamp(snapshot.atMs) };
  }

  /** How the system stands now, then every change (and every `resendMs` at least); never completes by itself. */
  watch(): Observable<WatchSystemResponse> {
    let sentAt = 0;
    return this.snapshots.updates$.pipe(
      map((snapshot: Snapshot) => ({ at: snapshot.atMs, view: systemView(snapshot) })),
      distinctUntilChanged((sent, next) => shape(sent.view) === shape(next.view) && next.at - sentAt < this.resendMs),
      map(({ at, view }) => {
        sentAt = at;
        return view;
      }),
    );
  }
}

export function systemView(snapshot: Snapshot): WatchSystemResponse {
  return { queues: stageQueues(snapshot), nodes: gpuNodes(snapshot), observedAt: toTimestamp(snapshot.atMs) };
}
