import { Transform } from 'class-transformer';
import { IsArray, IsIn, IsInt, IsOptional, IsString, Matches, Max, Min } from 'class-validator';
import { commaSeparatedNumbers } from './number-list.js';

const LOG_LEVELS = ['error', 'warn', 'log', 'debug', 'verbose'] as const;

/**
 * Settings every IntroEval process reads. Every property carries an explicit type: swc emits decorator metadata from
 * annotations only, and class-transformer converts environment strings by that metadata.
 */
export class BaseConfig {
  /** NATS server(s) with JetStream, comma-separated. */
  @Matches(/^(nats|tls|ws|wss):\/\/[^,\s]+(,(nats|tls|ws|wss):\/\/[^,\s]+)*$/, { message: 'NATS_URL must be nats://host:port[,...]' })
  NATS_URL: string = 'nats://127.0.0.1:4222';

  @IsIn(LOG_LEVELS, { message: `LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}` })
  LOG_LEVEL: (typeof LOG_LEVELS)[number] = 'log';
}

/**
 * The GPU phase lease's timing, read by the scheduler and by the workers it gates (docs/lease.md): both open the
 * same buckets, whose TTLs follow from these, so they must agree.
 */
export class LeaseTimingConfig extends BaseConfig {
  /** A scheduler leader that has not renewed for this long is replaced by a standby. */
  @IsInt() @Min(500)
  LEADER_TTL_MS: number = 10_000;

  /** Gated workers report (epoch, in-flight) this often; a worker silent for 3x this counts as gone. */
  @IsInt() @Min(100)
  LEASE_HEARTBEAT_MS: number = 1_000;
}

/** Settings every stage worker reads. */
export class WorkerConfig extends LeaseTimingConfig {
  /**
   * The GPU node this worker's engine runs on. Set, the worker pulls only while the node's phase lease grants its
   * stage's residency group (docs/lease.md); unset (the embedded CPU engines), it pulls whenever it has room.
   */
  @IsOptional()
  @Matches(/^[A-Za-z0-9_-]{1,64}$/, { message: 'GPU_NODE must be 1-64 letters, digits, - or _' })
  GPU_NODE: string | undefined = undefined;

  /** Messages this process handles at once. */
  @IsInt() @Min(1) @Max(64)
  STAGE_CONCURRENCY: number = 2;

  /** JetStream ack_wait; the worker sends in-progress acks every third of it while busy. */
  @IsInt() @Min(1000)
  ACK_WAIT_MS: number = 30_000;

  /** Deliveries before a job is failed and its message dead-lettered. */
  @IsInt() @Min(1) @Max(100)
  MAX_DELIVER: number = 5;

  /** Redelivery delays after transient errors, by attempt, comma-separated milliseconds. */
  @Transform(commaSeparatedNumbers)
  @IsArray()
  @IsInt({ each: true, message: 'BACKOFF_MS must be comma-separated integers (milliseconds)' })
  @Min(0, { each: true })
  BACKOFF_MS: number[] = [1000, 5000, 15000, 30000];

  /**
   * Longest one attempt at a stage may run before it is aborted and retried (its engine calls and child processes are
   * stopped): a stuck job must not hold a worker for ever. 0 turns the limit off.
   */
  @IsInt() @Min(0)
  STAGE_TIMEOUT_MS: number = 15 * 60_000;

  /** How long a stopping worker waits for in-flight jobs before it aborts them (they are redelivered elsewhere). */
  @IsInt() @Min(0)
  DRAIN_TIMEOUT_MS: number = 30_000;

  /**
   * Every stage worker (gated or not) writes its record to the stage workers' bucket this often (and after each job);
   * one silent for 3x this counts as gone. The status service counts these records as each stage's consumers.
   */
  @IsInt() @Min(100)
  STAGE_HEARTBEAT_MS: number = 2_000;

  /** Scratch space for media and audio files while a stage works on them. */
  @IsString()
  WORK_DIR: string = '/tmp/introeval';
}
