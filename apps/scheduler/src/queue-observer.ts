import {
  JetStreamApiCodes,
  JetStreamApiError,
  type JetStreamManager,
  type MsgRequest,
} from '@nats-io/jetstream';
import { STAGE_SUBJECT, Streams, type Stage } from '@introeval/contracts';

/** One stage queue as its durable consumer sees it. */
export interface StageQueue {
  /** Messages not yet delivered to any worker. */
  waiting: number;
  /** Delivered and not yet acknowledged (running somewhere, or waiting for a redelivery). */
  unacked: number;
  /** When the oldest waiting message entered the queue (ms since the epoch); null when none waits. */
  oldestWaitingAt: number | null;
}

const EMPTY: StageQueue = { waiting: 0, unacked: 0, oldestWaitingAt: null };

/** Reads the stage queues from JetStream: consumer state, and the stored time of the oldest undelivered message. */
export class QueueObserver {
  constructor(private readonly jsm: JetStreamManager) {}

  async observe(stage: Stage): Promise<StageQueue> {
    let info;
    try {
      info = await this.jsm.consumers.info(Streams.work, stage);
    } catch (error) {
      // No worker of the stage has started yet: nothing can be queued for it either.
      if (error instanceof JetStreamApiError && error.code === JetStreamApiCodes.ConsumerNotFound) return EMPTY;
      throw error;
    }
    const waiting = info.num_pending;
    if (waiting === 0) return { waiting, unacked: info.num_ack_pending, oldestWaitingAt: null };
    // The first message of the stage's subject after the last one delivered (servers >= 2.9 take next_by_subj).
    const query = { seq: info.delivered.stream_seq + 1, next_by_subj: STAGE_SUBJECT[stage] } as unknown as MsgRequest;
    const oldest = await this.jsm.streams.getMessage(Streams.work, query).catch(() => null);
    return { waiting, unacked: info.num_ack_pending, oldestWaitingAt: oldest ? oldest.time.getTime() : null };
  }
}
