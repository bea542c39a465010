import {
  JetStreamApiCodes,
  JetStreamApiError,
  type ConsumerInfo,
  type JetStreamManager,
  type MsgRequest,
  type StoredMsg,
} from '@nats-io/jetstream';
import { STAGE_SUBJECT, STAGES, Streams, perStage, type Stage } from '@introeval/contracts';

/** One message of the work stream: one job waiting for (or being worked on by) one stage. */
export interface QueuedMessage {
  /** Stream sequence: the order the stage's consumer takes its messages in. */
  seq: number;
  stage: Stage;
  /** Null for a message whose payload and Nats-Msg-Id name no job (it still holds a place in line). */
  jobId: string | null;
  /** When it was stored in the stream: when the job joined this stage's queue. */
  queuedAtMs: number;
}

/** One stage's queue as its durable consumer sees it now. */
export interface StageQueueState {
  stage: Stage;
  /** Not yet delivered to any worker, in the order they will be taken. */
  waiting: QueuedMessage[];
  /** Delivered and not yet acknowledged: running, or waiting for a redelivery after a retry. */
  inFlight: QueuedMessage[];
  /** False while no worker of the stage has ever started (no durable consumer yet). */
  consumerExists: boolean;
}

const STAGE_OF_SUBJECT = new Map<string, Stage>(STAGES.map((stage) => [STAGE_SUBJECT[stage], stage]));
/** Every subject of the work stream (the upload subject and `introeval.stage.*`). */
const ALL_WORK = 'introeval.>';

/**
 * Reads the stage queues from the work stream. The stream has work-queue retention, so it holds exactly the messages
 * not yet acknowledged; a stage's consumer has delivered everything up to its `delivered.stream_seq`, so the stage's
 * messages above it wait and those at or below it are in flight.
 *
 * Messages are read once each, by sequence (STREAM.MSG.GET with next_by_subj: no consumer, which a work-queue stream
 * would refuse beside the stages' own), and kept until the stream no longer holds them: a refresh reads only what was
 * added since the last one, plus a check of in-flight messages when the consumer's count says some were acked.
 */
export class WorkQueueReader {
  /** Every message still in the stream as far as the last read knows, by sequence. */
  private readonly messages = new Map<number, QueuedMessage>();
  /** The highest sequence read so far. */
  private cursor = 0;

  constructor(private readonly jsm: JetStreamManager) {}

  async read(): Promise<Record<Stage, StageQueueState>> {
    const info = await this.jsm.streams.info(Streams.work);
    const { first_seq: first, last_seq: last } = info.state;
    for (const seq of this.messages.keys()) if (seq < first) this.messages.delete(seq);
    await this.readNew(Math.max(this.cursor + 1, first), last);
    const consumers = await Promise.all(STAGES.map((stage) => this.consumer(stage)));
    const states = await Promise.all(STAGES.map((stage, i) => this.stageState(stage, consumers[i])));
    return perStage((stage) => states[STAGES.indexOf(stage)]);
  }

  private async readNew(from: number, last: number): Promise<void> {
    let seq = from;
    while (seq <= last) {
      const stored = await this.jsm.streams.getMessage(Streams.work, { seq, next_by_subj: ALL_WORK } as unknown as MsgRequest);
      if (!stored) break;
      const message = toQueued(stored);
      if (message) this.messages.set(stored.seq, message);
      seq = stored.seq + 1;
    }
    this.cursor = Math.max(this.cursor, last);
  }

  private async consumer(stage: Stage): Promise<ConsumerInfo | null> {
    try {
      return await this.jsm.consumers.info(Streams.work, stage);
    } catch (error) {
      if (error instanceof JetStreamApiError && error.code === JetStreamApiCodes.ConsumerNotFound) return null;
      throw error;
    }
  }

  private async stageState(stage: Stage, consumer: ConsumerInfo | null): Promise<StageQueueState> {
    const delivered = consumer?.delivered.stream_seq ?? 0;
    const mine = [...this.messages.values()].filter((m) => m.stage === stage).sort((a, b) => a.seq - b.seq);
    let inFlight = mine.filter((m) => m.seq <= delivered);
    let waiting = mine.filter((m) => m.seq > delivered);
    // More kept than the consumer counts: some were acknowledged (or removed) since; drop those the stream lost.
    if (consumer && inFlight.length > consumer.num_ack_pending) inFlight = await this.stillStored(inFlight);
    if (consumer && waiting.length > consumer.num_pending) waiting = await this.stillStored(waiting);
    return { stage, waiting, inFlight, consumerExists: consumer !== null };
  }

  private async stillStored(candidates: QueuedMessage[]): Promise<QueuedMessage[]> {
    const found = await Promise.all(candidates.map((m) => this.jsm.streams.getMessage(Streams.work, { seq: m.seq })));
    return candidates.filter((m, i) => {
      if (found[i]?.seq === m.seq) return true;
      this.messages.delete(m.seq);
      return false;
    });
  }
}

/** The job a work message is for: its payload `{ jobId }`, else the id part of its Nats-Msg-Id `<jobId>:<subject>`. */
function toQueued(stored: StoredMsg): QueuedMessage | null {
  const stage = STAGE_OF_SUBJECT.get(stored.subject);
  if (!stage) return null;
  let jobId: string | null = null;
  try {
    const payload = stored.json<{ jobId?: unknown }>();
    if (typeof payload?.jobId === 'string') jobId = payload.jobId;
  } catch {
    // Not JSON: the header may still say.
  }
  const msgId = stored.header?.get('Nats-Msg-Id');
  if (jobId === null && msgId && msgId.endsWith(`:${stored.subject}`)) jobId = msgId.slice(0, -stored.subject.length - 1);
  return { seq: stored.seq, stage, jobId, queuedAtMs: stored.time.getTime() };
}
