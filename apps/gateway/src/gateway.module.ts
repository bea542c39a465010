import { Module, type DynamicModule } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import type { NatsConnection } from '@nats-io/transport-node';
import { JetStreamPublisher } from '@introeval/messaging';
import { IdempotencyStore, JobAccess, JobStore, MediaStore, ReceiptSigner, type Buckets } from '@introeval/storage';
import { GatewayConfig } from './gateway.config.js';
import { HealthController } from './health.controller.js';
import { HttpErrorFilter } from './http-error.filter.js';
import { JobAccessGuard } from './job-access.guard.js';
import { MultipartReceiver } from './multipart.receiver.js';
import { JobStatusService } from './job-status.service.js';
import { StatusClient } from './status.client.js';
import { StatusController } from './status.controller.js';
import { SubmissionsController } from './submissions.controller.js';
import { SubmissionsService } from './submissions.service.js';
import { BUCKETS, NATS } from './tokens.js';

export interface GatewayDeps {
  config: GatewayConfig;
  nc: NatsConnection;
  buckets: Buckets;
  receipts: ReceiptSigner;
  publisher: JetStreamPublisher;
  status: StatusClient;
}

@Module({})
export class GatewayModule {
  /** The adapters are built in main.ts (they need a live NATS connection) and handed in as values. */
  static register(deps: GatewayDeps): DynamicModule {
    return {
      module: GatewayModule,
      controllers: [SubmissionsController, StatusController, HealthController],
      providers: [
        { provide: GatewayConfig, useValue: deps.config },
        { provide: NATS, useValue: deps.nc },
        { provide: BUCKETS, useValue: deps.buckets },
        { provide: JobStore, useValue: new JobStore(deps.buckets.jobs) },
        { provide: MediaStore, useValue: new MediaStore(deps.buckets.media) },
        { provide: IdempotencyStore, useValue: new IdempotencyStore(deps.buckets.idempotency) },
        { provide: ReceiptSigner, useValue: deps.receipts },
        { provide: JobAccess, useValue: new JobAccess(deps.receipts, deps.config.ADMIN_TOKEN) },
        { provide: JetStreamPublisher, useValue: deps.publisher },
        { provide: StatusClient, useValue: deps.status },
        { provide: APP_FILTER, useClass: HttpErrorFilter },
        JobAccessGuard,
        SubmissionsService,
        JobStatusService,
        MultipartReceiver,
      ],
    };
  }
}
