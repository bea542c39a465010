import { Controller, Get, HttpException, Inject } from '@nestjs/common';
import type { NatsConnection } from '@nats-io/transport-node';
import { bucketsReachable, type Buckets } from '@introeval/storage';
import { BUCKETS, NATS } from './tokens.js';

@Controller()
export class HealthController {
  constructor(
    @Inject(NATS) private readonly nc: NatsConnection,
    @Inject(BUCKETS) private readonly buckets: Buckets,
  ) {}

  /** The process is up. */
  @Get('healthz')
  health(): { status: 'ok' } {
    return { status: 'ok' };
  }

  /** NATS is connected and the buckets answer: the gateway can accept work. */
  @Get('readyz')
  async ready(): Promise<{ status: 'ready' }> {
    if (this.nc.isClosed() || !(await bucketsReachable(this.buckets))) {
      throw new HttpException({ status: 'unavailable' }, 503);
    }
    return { status: 'ready' };
  }
}
