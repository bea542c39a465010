import { Controller, Get, Inject, Req } from '@nestjs/common';
import type { Request } from 'express';
import type { NodeListing, QueueListing } from '@introeval/status-api';
import { jobCredentials } from './job-access.guard.js';
import { StatusClient } from './status.client.js';

/**
 * The admin views of the status service over HTTP, for the CLI and dashboards without a gRPC client. The admin token
 * is passed through; the status service refuses a call without it (401/403 here, through the error filter).
 */
@Controller('api/status')
export class StatusController {
  constructor(@Inject(StatusClient) private readonly status: StatusClient) {}

  /** Every stage queue: waiting, in flight, oldest waiting age, consumers, dead letters, the waiting jobs in order. */
  @Get('queues')
  queues(@Req() req: Request): Promise<QueueListing> {
    return this.status.listQueues(jobCredentials(req, false).adminToken ?? null);
  }

  /** Every GPU node: lease, plan, switch, resident models, measurements. */
  @Get('nodes')
  nodes(@Req() req: Request): Promise<NodeListing> {
    return this.status.listNodes(jobCredentials(req, false).adminToken ?? null);
  }
}
