import type { NatsConnection } from '@nats-io/transport-node';
import type { Logger } from '@nestjs/common';
import type { HealthImplementation } from 'grpc-health-check';

/**
 * Keeps grpc.health.v1 in step with NATS: NOT_SERVING from the moment the connection drops until it is back, for the
 * whole server ('') and for each named service, so that a Kubernetes gRPC probe or grpc_health_probe takes a replica
 * that cannot read anything out of rotation.
 */
export class NatsHealth {
  private stopped = false;

  constructor(
    private readonly nc: NatsConnection,
    private readonly health: HealthImplementation,
    private readonly services: string[],
    private readonly logger: Pick<Logger, 'log' | 'warn'>,
  ) {}

  start(): void {
    this.set(this.nc.isClosed() ? 'NOT_SERVING' : 'SERVING');
    void (async () => {
      for await (const event of this.nc.status()) {
        if (this.stopped) break;
        if (event.type === 'disconnect' || event.type === 'close') {
          this.logger.warn(`NATS ${event.type}: health NOT_SERVING`);
          this.set('NOT_SERVING');
        } else if (event.type === 'reconnect') {
          this.logger.log('NATS reconnected: health SERVING');
          this.set('SERVING');
        }
      }
    })();
  }

  /** A server that is shutting down says so. */
  stop(): void {
    this.stopped = true;
    this.set('NOT_SERVING');
  }

  private set(status: 'SERVING' | 'NOT_SERVING'): void {
    for (const service of ['', ...this.services]) this.health.setStatus(service, status);
  }
}
