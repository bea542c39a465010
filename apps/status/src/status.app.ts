import type { Server } from '@grpc/grpc-js';
import { ReflectionService } from '@grpc/reflection';
import { jetstreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { Logger, Module, type INestMicroservice } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { MicroserviceOptions } from '@nestjs/microservices';
import type { PackageDefinition } from '@grpc/proto-loader';
import { HealthImplementation, protoPath as HEALTH_PROTO } from 'grpc-health-check';
import { logLevels } from '@introeval/pipeline';
import { forecast } from '@introeval/scheduling';
import { STATUS_SERVICE, statusGrpcOptions } from '@introeval/status-api';
import { JobAccess, JobStore, openBuckets, ReceiptSigner } from '@introeval/storage';
import { SystemReader } from './adapters/system.reader.js';
import { WorkQueueReader } from './adapters/work-queue.reader.js';
import { JobRecordWatcher } from './adapters/job-record.watcher.js';
import { GrpcErrorFilter } from './grpc-error.filter.js';
import { JobStatusService } from './job-status.service.js';
import { NatsHealth } from './nats-health.js';
import { SnapshotService } from './snapshot/snapshot.service.js';
import type { StatusConfig } from './status.config.js';
import { StatusController } from './status.controller.js';
import { SystemStatusService } from './system-status.service.js';

/** The running status server and the parts a caller (main, the specs) may need to reach. */
export interface StatusApp {
  app: INestMicroservice;
  /** host:port it listens on. */
  url: string;
  snapshots: SnapshotService;
  records: JobRecordWatcher;
  health: NatsHealth;
}

/**
 * Builds and starts the status service over an open NATS connection (owned by the caller): the adapters, the shared
 * snapshot, the Nest gRPC microservice with the StatusService, grpc.health.v1 and server reflection on one port.
 */
export async function startStatusApp(nc: NatsConnection, config: StatusConfig): Promise<StatusApp> {
  const logger = new Logger('status');
  const jsm = await jetstreamManager(nc);
  // The jobs and settings buckets are the gateway's too; opening creates them the same way wherever it happens first.
  const buckets = await openBuckets(nc);
  const receipts = await ReceiptSigner.open(buckets.settings, config.RECEIPT_SECRET);
  const jobs = new JobStore(buckets.jobs);
  const snapshots = new SnapshotService({
    queues: new WorkQueueReader(jsm),
    system: await SystemReader.open(nc, jsm, logger),
    jobs,
    forecast,
    refreshMs: config.STATUS_REFRESH_MS,
    logger,
  });
  const records = new JobRecordWatcher(buckets.jobs, logger);
  const healthImpl = new HealthImplementation();
  const health = new NatsHealth(nc, healthImpl, [STATUS_SERVICE], logger);
  health.start();

  @Module({
    controllers: [StatusController],
    providers: [
      { provide: JobAccess, useValue: new JobAccess(receipts, config.ADMIN_TOKEN) },
      { provide: JobStatusService, useValue: new JobStatusService(jobs, snapshots, records) },
      { provide: SystemStatusService, useValue: new SystemStatusService(snapshots, config.STATUS_SYSTEM_RESEND_MS) },
    ],
  })
  class StatusModule {}

  const url = `${config.STATUS_HOST}:${config.STATUS_GRPC_PORT}`;
  const app = await NestFactory.createMicroservice<MicroserviceOptions>(StatusModule, {
    logger: logLevels(config.LOG_LEVEL),
    ...statusGrpcOptions(url, {
      extraProtos: [HEALTH_PROTO],
      onLoadPackageDefinition: (pkg: PackageDefinition, server: unknown) => {
        const grpcServer = server as Pick<Server, 'addService'>;
        healthImpl.addToServer(grpcServer);
        // Reflection over the whole definition: grpcurl lists and describes StatusService and Health without a proto.
        new ReflectionService(pkg).addToServer(grpcServer);
      },
    }),
  });
  app.useGlobalFilters(new GrpcErrorFilter());
  await app.listen();
  return { app, url, snapshots, records, health };
}
