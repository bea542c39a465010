import {
  AckPolicy,
  DeliverPolicy,
  JetStreamApiCodes,
  JetStreamApiError,
  jetstreamManager,
  RetentionPolicy,
  StorageType,
  type ConsumerConfig,
  type ConsumerInfo,
  type JetStreamManager,
  type StreamConfig,
  type StreamInfo,
} from '@nats-io/jetstream';
import { nanos, type NatsConnection } from '@nats-io/transport-node';
import { STAGE_SUBJECT, Streams, Subjects, type Stage } from '@introeval/contracts';

const DAY_MS = 24 * 60 * 60 * 1000;
const DEFAULT_DUPLICATE_WINDOW_MS = 2 * 60 * 1000;
const DEFAULT_MAX_ACK_PENDING = 1000;

export interface TopologyOptions {
  /** De-duplication window of the work stream (Nats-Msg-Id). Default 2 minutes. */
  duplicateWindowMs?: number;
  /** Stream replicas (1 on a single server). */
  replicas?: number;
}

export interface StageConsumerConfig {
  concurrency: number;
  ackWaitMs: number;
  maxDeliver: number;
  maxAckPending?: number;
}

type DesiredStream = Pick<
  StreamConfig,
  'name' | 'subjects' | 'retention' | 'storage' | 'max_age' | 'duplicate_window' | 'num_replicas'
>;

/** The three streams of the pipeline: work queue, job events, dead letters. */
export function streamConfigs(opts: TopologyOptions = {}): DesiredStream[] {
  const replicas = opts.replicas ?? 1;
  const twoMinutes = nanos(DEFAULT_DUPLICATE_WINDOW_MS);
  return [
    {
      name: Streams.work,
      subjects: [Subjects.submitted, 'introeval.stage.*'],
      retention: RetentionPolicy.Workqueue,
      storage: StorageType.File,
      max_age: 0,
      duplicate_window: nanos(opts.duplicateWindowMs ?? DEFAULT_DUPLICATE_WINDOW_MS),
      num_replicas: replicas,
    },
    {
      name: Streams.events,
      subjects: ['introeval.event.>'],
      retention: RetentionPolicy.Limits,
      storage: StorageType.File,
      max_age: nanos(14 * DAY_MS),
      duplicate_window: twoMinutes,
      num_replicas: replicas,
    },
    {
      name: Streams.deadLetters,
      subjects: ['introeval.dlq.>'],
      retention: RetentionPolicy.Limits,
      storage: StorageType.File,
      max_age: nanos(30 * DAY_MS),
      // Replicas that all see one max-deliveries advisory dead-letter the same message: this window folds them.
      duplicate_window: twoMinutes,
      num_replicas: replicas,
    },
  ];
}

/** Creates the pipeline's streams, or brings their config up to date; safe to run from many processes at once. */
export async function ensureTopology(nc: NatsConnection, opts: TopologyOptions = {}): Promise<StreamInfo[]> {
  const jsm = await jetstreamManager(nc);
  const infos: StreamInfo[] = [];
  for (const desired of streamConfigs(opts)) infos.push(await ensureStream(jsm, desired));
  return infos;
}

async function ensureStream(jsm: JetStreamManager, desired: DesiredStream): Promise<StreamInfo> {
  const existing = (await streamInfo(jsm, desired.name)) ?? (await addStream(jsm, desired));
  const current = existing.config;
  if (current.retention !== desired.retention || current.storage !== desired.storage) {
    // The server cannot change either in place; silently keeping the old one would change delivery semantics.
    throw new Error(
      `stream ${desired.name} exists with retention ${current.retention}/${current.storage}, ` +
        `expected ${desired.retention}/${desired.storage}: migrate it by hand`,
    );
  }
  const same =
    sameSet(current.subjects, desired.subjects) &&
    current.max_age === desired.max_age &&
    current.duplicate_window === desired.duplicate_window &&
    current.num_replicas === desired.num_replicas;
  if (same) return existing;
  return jsm.streams.update(desired.name, { ...current, ...desired });
}

async function addStream(jsm: JetStreamManager, desired: DesiredStream): Promise<StreamInfo> {
  try {
    return await jsm.streams.add(desired);
  } catch (error) {
    // Another process created it between our info and add (possibly with an older config): update that one.
    const raced = await streamInfo(jsm, desired.name);
    if (raced) return raced;
    throw error;
  }
}

async function streamInfo(jsm: JetStreamManager, name: string): Promise<StreamInfo | null> {
  try {
    return await jsm.streams.info(name);
  } catch (error) {
    if (error instanceof JetStreamApiError && error.code === JetStreamApiCodes.StreamNotFound) return null;
    throw error;
  }
}

/** The durable pull consumer of one stage: named after the stage, filtered on its work subject. */
export function stageConsumerConfig(stage: Stage, cfg: StageConsumerConfig): Partial<ConsumerConfig> {
  return {
    durable_name: stage,
    filter_subject: STAGE_SUBJECT[stage],
    ack_policy: AckPolicy.Explicit,
    deliver_policy: DeliverPolicy.All,
    ack_wait: nanos(cfg.ackWaitMs),
    max_deliver: cfg.maxDeliver,
    max_ack_pending: Math.max(cfg.maxAckPending ?? DEFAULT_MAX_ACK_PENDING, cfg.concurrency),
  };
}

/** Creates the stage's durable consumer, or updates it when its config changed; safe to race. */
export async function ensureStageConsumer(
  jsm: JetStreamManager,
  stage: Stage,
  cfg: StageConsumerConfig,
): Promise<ConsumerInfo> {
  const desired = stageConsumerConfig(stage, cfg);
  const existing = (await consumerInfo(jsm, stage)) ?? (await addConsumer(jsm, desired));
  const current = existing.config;
  const same =
    current.filter_subject === desired.filter_subject &&
    current.ack_wait === desired.ack_wait &&
    current.max_deliver === desired.max_deliver &&
    current.max_ack_pending === desired.max_ack_pending;
  if (same) return existing;
  return jsm.consumers.update(Streams.work, stage, {
    filter_subject: desired.filter_subject,
    ack_wait: desired.ack_wait,
    max_deliver: desired.max_deliver,
    max_ack_pending: desired.max_ack_pending,
  });
}

async function addConsumer(jsm: JetStreamManager, desired: Partial<ConsumerConfig>): Promise<ConsumerInfo> {
  const name = desired.durable_name!;
  try {
    return await jsm.consumers.add(Streams.work, desired);
  } catch (error) {
    // Another process created it first (a config difference is then settled by the update that follows).
    const raced = await consumerInfo(jsm, name);
    if (raced) return raced;
    throw error;
  }
}

async function consumerInfo(jsm: JetStreamManager, durable: string): Promise<ConsumerInfo | null> {
  try {
    return await jsm.consumers.info(Streams.work, durable);
  } catch (error) {
    if (error instanceof JetStreamApiError && error.code === JetStreamApiCodes.ConsumerNotFound) return null;
    if (error instanceof JetStreamApiError && error.code === JetStreamApiCodes.StreamNotFound) {
      throw new Error(`stream ${Streams.work} does not exist: call ensureTopology() before serving stage ${durable}`, {
        cause: error,
      });
    }
    throw error;
  }
}

function sameSet(a: readonly string[] | undefined, b: readonly string[] | undefined): boolean {
  const left = new Set(a ?? []);
  const right = new Set(b ?? []);
  return left.size === right.size && [...left].every((s) => right.has(s));
}
