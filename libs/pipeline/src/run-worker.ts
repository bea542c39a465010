import 'reflect-metadata';
import { hostname } from 'node:os';
import { Logger, Module, type DynamicModule, type Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { MicroserviceOptions } from '@nestjs/microservices';
import type { NatsConnection } from '@nats-io/transport-node';
import { StageMessage, type Stage } from '@introeval/contracts';
import { loadConfig, type WorkerConfig } from '@introeval/config';
import {
  ensureTopology,
  JetStreamExceptionFilter,
  JetStreamPublisher,
  JetStreamServer,
  openStageWorkerBucket,
} from '@introeval/messaging';
import { LeaseGate, LeaseStore, openLeaseBuckets, STAGE_GROUP, WorkerPresence } from '@introeval/lease';
import { connectNats } from '@introeval/nats';
import { JobStore, MediaStore, openBuckets } from '@introeval/storage';
import { startTelemetry, stopTelemetry } from '@introeval/telemetry';
import { JobLifecycle } from './job-lifecycle.js';
import { LeasePullGate } from './lease-pull-gate.js';
import { announceReady, closeOnSignals, logLevels } from './process-lifecycle.js';
import { reapStaleWorkDirs } from './work-dir.js';

export interface WorkerSpec<C extends WorkerConfig> {
  /** Service name for logs, NATS and traces. */
  name: string;
  stage: Stage;
  /** The app's config class: loaded from the environment once, injected by this class. */
  configClass: Type<C>;
  /** The app's module: its consumer (the @EventPattern handler) and services. */
  module: Type<unknown>;
}

/**
 * Starts one stage worker as its own process: tracing first, then NATS, buckets and topology, then a Nest
 * microservice whose transport pulls the stage's durable consumer. Shared so the four workers boot the same way.
 */
export function runWorker<C extends WorkerConfig>(spec: WorkerSpec<C>): void {
  startWorker(spec).catch((error: unknown) => {
    console.error(`${spec.name} failed to start: ${(error as Error).message}`);
    process.exit(1);
  });
}

async function startWorker<C extends WorkerConfig>(spec: WorkerSpec<C>): Promise<void> {
  startTelemetry(spec.name);
  const logger = new Logger(spec.name);
  const config = loadConfig(spec.configClass);
  const reaped = await reapStaleWorkDirs(config.WORK_DIR);
  if (reaped > 0) logger.log(`removed ${reaped} scratch director${reaped === 1 ? 'y' : 'ies'} left by stopped workers`);
  const nc = await connectNats(config.NATS_URL, spec.name);
  await ensureTopology(nc);
  const buckets = await openBuckets(nc);
  const jobs = new JobStore(buckets.jobs);
  const publisher = new JetStreamPublisher(nc);
  const lifecycle = new JobLifecycle(jobs, publisher);
  const workerId = workerIdOf(spec.name);
  const leaseGate = await gateOnLease(nc, spec, config, logger, workerId);
  const heartbeats = await openStageWorkerBucket(nc, config.STAGE_HEARTBEAT_MS);

  @Module({
    imports: [spec.module],
  })
  class WorkerRootModule {}

  const shared: DynamicModule = {
    module: WorkerRootModule,
    global: true,
    providers: [
      { provide: spec.configClass, useValue: config },
      { provide: JobStore, useValue: jobs },
      { provide: MediaStore, useValue: new MediaStore(buckets.media) },
      { provide: JobLifecycle, useValue: lifecycle },
    ],
    exports: [spec.configClass, JobStore, MediaStore, JobLifecycle],
  };

  const app = await NestFactory.createMicroservice<MicroserviceOptions>(shared, {
    logger: logLevels(config.LOG_LEVEL),
    strategy: new JetStreamServer({
      connection: nc,
      consumers: [
        {
          stage: spec.stage,
          concurrency: config.STAGE_CONCURRENCY,
          ackWaitMs: config.ACK_WAIT_MS,
          maxDeliver: config.MAX_DELIVER,
          timeoutMs: config.STAGE_TIMEOUT_MS || undefined,
          payload: StageMessage,
          gate: leaseGate ? new LeasePullGate(leaseGate, config.STAGE_CONCURRENCY) : undefined,
        },
      ],
      backoffMs: config.BACKOFF_MS,
      drainTimeoutMs: config.DRAIN_TIMEOUT_MS,
      onFailure: (failure) => lifecycle.fail(failure),
      heartbeat: {
        kv: heartbeats,
        service: spec.name,
        workerId,
        node: leaseGate ? (config.GPU_NODE ?? null) : null,
        everyMs: config.STAGE_HEARTBEAT_MS,
      },
    }),
  });
  // Nest's default filter would replace a handler's error with a generic one; the transport needs the original to
  // tell a permanent failure (term) from a transient one (nak with backoff).
  app.useGlobalFilters(new JetStreamExceptionFilter());
  closeOnSignals(app, async () => {
    // After app.close(): the transport has drained, so the report this removes says nothing is in flight.
    await leaseGate?.stop();
    await nc.drain();
    await stopTelemetry();
  });
  await app.listen();
  const gated = leaseGate ? `, gated on the GPU lease of node ${config.GPU_NODE}` : '';
  logger.log(`${spec.name} worker ready: stage ${spec.stage}, concurrency ${config.STAGE_CONCURRENCY}${gated}`);
  announceReady();
}

/**
 * A worker bound to a GPU node (GPU_NODE) pulls only under the node's phase lease; its gate watches the lease and
 * heartbeats what it holds. Stages without a residency group (upload) and unbound workers run ungated.
 */
async function gateOnLease(
  nc: NatsConnection,
  spec: WorkerSpec<WorkerConfig>,
  config: WorkerConfig,
  logger: Logger,
  workerId: string,
): Promise<LeaseGate | null> {
  const group = STAGE_GROUP[spec.stage];
  if (!config.GPU_NODE || !group) return null;
  const buckets = await openLeaseBuckets(nc, {
    leaderTtlMs: config.LEADER_TTL_MS,
    heartbeatTtlMs: 3 * config.LEASE_HEARTBEAT_MS,
  });
  const gate = new LeaseGate(new LeaseStore(buckets), new WorkerPresence(buckets), {
    node: config.GPU_NODE,
    group,
    workerId,
    heartbeatEveryMs: config.LEASE_HEARTBEAT_MS,
  });
  await gate.start();
  logger.log(`waiting for the GPU lease of node ${config.GPU_NODE} to grant group ${group}`);
  return gate;
}

/** This process's worker id: the service, host and pid (key tokens hold no dots, so the host is sanitised). */
function workerIdOf(service: string): string {
  return `${service}-${hostname().replace(/[^A-Za-z0-9_-]/g, '-')}-${process.pid}`;
}
