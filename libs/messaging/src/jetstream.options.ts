import type { KV } from '@nats-io/kv';
import type { NatsConnection } from '@nats-io/transport-node';
import type { ClassConstructor } from 'class-transformer';
import type { JobErrorCode, Stage } from '@introeval/contracts';
import type { PullGate } from './pull-gate.js';

/** A class whose instances a message payload is validated into (a class-validator DTO such as StageMessage). */
export type PayloadClass = ClassConstructor<object>;

/** One durable pull consumer the transport serves: the stage's work subject and how its messages are handled. */
export interface StageConsumerOptions {
  stage: Stage;
  /** Handlers of this stage that may run at once in this process. */
  concurrency: number;
  /** The server redelivers a message not acked (nor kept alive with working()) within this time. */
  ackWaitMs: number;
  /** Deliveries of one message, the first included, before it is given up. */
  maxDeliver: number;
  payload: PayloadClass;
  /**
   * Unacknowledged messages across ALL replicas of the consumer (nak'd ones waiting for their backoff count too).
   * Default 1000, and never below `concurrency`.
   */
  maxAckPending?: number;
  /**
   * The stage's deadline per delivery, in ms: once a handler has run this long its `ctx.signal` aborts and the
   * delivery counts as a transient failure (nak with backoff; STAGE_EXHAUSTED after maxDeliver). Undefined or 0: none.
   */
  timeoutMs?: number;
  /**
   * Set for a stage bound to a GPU node: the worker pulls only while the gate grants the stage (the GPU phase lease),
   * with no-wait pulls every `gatePollMs` (default 25) while the queue is empty, and reports what it holds.
   */
  gate?: PullGate;
  gatePollMs?: number;
}

/** Why a stage gave up on a job: the app records it as the job's error. Always final. */
export interface StageFailure {
  stage: Stage;
  subject: string;
  /** Null when the payload had no readable jobId. */
  jobId: string | null;
  code: JobErrorCode;
  message: string;
  final: true;
  deliveries: number;
}

export interface JetStreamServerOptions {
  /** Owned by the app: the transport never closes or drains it. */
  connection: NatsConnection;
  consumers: StageConsumerOptions[];
  /** nak delay by attempt: the first retry waits backoffMs[0], later ones the last entry once the list runs out. */
  backoffMs: number[];
  /**
   * How long close() waits for running handlers before it aborts their `ctx.signal` (their messages are then nak'd
   * for another worker, never acked).
   */
  drainTimeoutMs: number;
  /** How long close() then waits for the aborted handlers to settle before it resolves anyway. Default 5000. */
  abortGraceMs?: number;
  /**
   * Called once a job cannot succeed at this stage; must be idempotent (it is called again when it throws, and
   * several replicas may report one crash). While it throws, the message is kept (nak'd), never terminated.
   */
  onFailure: (failure: StageFailure) => Promise<void>;
  /**
   * How the max-deliveries path retries a throwing onFailure before it leaves the message in the work stream (and
   * logs an error). Default 3 attempts, 1000 ms apart.
   */
  onFailureRetry?: { attempts: number; delayMs: number };
  /** How long one pull request waits at the server for messages (min 1000). Default 5000. */
  pullExpiresMs?: number;
  /**
   * Where each stage worker heartbeats (StageHeartbeat: `${stage}.${workerId}` in BucketNames.stageWorkers). Every
   * worker process sets it (runWorker); without it the workers run unannounced (transport specs).
   */
  heartbeat?: StageHeartbeatSettings;
}

/** A worker process's heartbeat settings: the bucket (openStageWorkerBucket), who it is, how often it writes. */
export interface StageHeartbeatSettings {
  kv: KV;
  service: string;
  /** Unique per process: 1-128 letters, digits, - or _. */
  workerId: string;
  /** The GPU node it is bound to; null when ungated. */
  node: string | null;
  everyMs: number;
}
