import 'reflect-metadata';
import { Logger, Module, type DynamicModule, type Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { MicroserviceOptions } from '@nestjs/microservices';
import { StageMessage, type Stage } from '@introeval/contracts';
import { loadConfig, type WorkerConfig } from '@introeval/config';
import { ensureTopology, JetStreamExceptionFilter, JetStreamPublisher, JetStreamServer } from '@introeval/messaging';
import { connectNats, JobStore, MediaStore, openBuckets } from '@introeval/storage';
import { startTelemetry, stopTelemetry } from '@introeval/telemetry';
import { JobLifecycle } from './job-lifecycle.js';
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
        },
      ],
      backoffMs: config.BACKOFF_MS,
      drainTimeoutMs: config.DRAIN_TIMEOUT_MS,
      onFailure: (failure) => lifecycle.fail(failure),
    }),
  });
  // Nest's default filter would replace a handler's error with a generic one; the transport needs the original to
  // tell a permanent failure (term) from a transient one (nak with backoff).
  app.useGlobalFilters(new JetStreamExceptionFilter());
  closeOnSignals(app, async () => {
    await nc.drain();
    await stopTelemetry();
  });
  await app.listen();
  logger.log(`${spec.name} worker ready: stage ${spec.stage}, concurrency ${config.STAGE_CONCURRENCY}`);
  announceReady();
}
