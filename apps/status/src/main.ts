import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { loadConfig } from '@introeval/config';
import { connectNats } from '@introeval/nats';
import { announceReady, closeOnSignals } from '@introeval/pipeline';
import { startTelemetry, stopTelemetry } from '@introeval/telemetry';
import { startStatusApp } from './status.app.js';
import { StatusConfig } from './status.config.js';

async function main(): Promise<void> {
  startTelemetry('status');
  const config = loadConfig(StatusConfig);
  const nc = await connectNats(config.NATS_URL, 'status');
  const { app, url, health } = await startStatusApp(nc, config);
  closeOnSignals(app, async () => {
    health.stop();
    await nc.drain();
    await stopTelemetry();
  });
  new Logger('status').log(`status ready: gRPC on ${url} (StatusService, grpc.health.v1.Health, reflection)`);
  announceReady();
}

main().catch((error: unknown) => {
  console.error(`status failed to start: ${(error as Error).message}`);
  process.exit(1);
});
