import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { loadConfig } from '@introeval/config';
import { ensureTopology, JetStreamPublisher } from '@introeval/messaging';
import { announceReady, closeOnSignals, logLevels } from '@introeval/pipeline';
import { connectNats } from '@introeval/nats';
import { openBuckets, ReceiptSigner } from '@introeval/storage';
import { startTelemetry, stopTelemetry } from '@introeval/telemetry';
import { GatewayConfig } from './gateway.config.js';
import { GatewayModule } from './gateway.module.js';
import { StatusClient } from './status.client.js';

async function main(): Promise<void> {
  startTelemetry('gateway');
  const config = loadConfig(GatewayConfig);
  const nc = await connectNats(config.NATS_URL, 'gateway');
  await ensureTopology(nc);
  const buckets = await openBuckets(nc);
  const receipts = await ReceiptSigner.open(buckets.settings, config.RECEIPT_SECRET);
  const publisher = new JetStreamPublisher(nc);
  const status = new StatusClient(config.STATUS_URL, config.STATUS_TIMEOUT_MS);

  const app = await NestFactory.create<NestExpressApplication>(
    GatewayModule.register({ config, nc, buckets, receipts, publisher, status }),
    { logger: logLevels(config.LOG_LEVEL), bodyParser: false },
  );
  // JSON only: multipart bodies must stay unread so the upload can stream them.
  app.useBodyParser('json', { limit: '1mb' });
  closeOnSignals(app, async () => {
    await nc.drain();
    await stopTelemetry();
  });
  // Uploads may take long on a slow uplink (no total limit), but a connection that goes silent is closed.
  const server = app.getHttpServer();
  server.requestTimeout = 0;
  server.setTimeout(config.UPLOAD_IDLE_TIMEOUT_MS);
  await app.listen(config.PORT, config.HOST);
  new Logger('gateway').log(`gateway listening on http://${config.HOST}:${config.PORT}`);
  announceReady();
}

main().catch((error: unknown) => {
  console.error(`gateway failed to start: ${(error as Error).message}`);
  process.exit(1);
});
