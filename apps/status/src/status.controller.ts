import type { Metadata } from '@grpc/grpc-js';
import { Controller, Inject } from '@nestjs/common';
import { from, map, type Observable } from 'rxjs';
import {
  StatusServiceControllerMethods,
  toJobView,
  type GetJobRequest,
  type GetJobResponse,
  type ListNodesResponse,
  type ListQueuesResponse,
  type StatusServiceController,
  type WatchJobRequest,
  type WatchJobResponse,
  type WatchSystemResponse,
} from '@introeval/status-api';
import { JobAccess } from '@introeval/storage';
import { credentialsOf, validJobId } from './call-credentials.js';
import { JobStatusService } from './job-status.service.js';
import { SystemStatusService } from './system-status.service.js';

/**
 * The StatusService of proto/introeval/status/v1/status.proto: it implements the interface ts-proto generates, so a
 * proto change the code does not follow fails the build. Each handler checks the id and the credentials (JobAccess,
 * the same decision the gateway makes) and hands off; errors become gRPC statuses in GrpcErrorFilter.
 */
@Controller()
@StatusServiceControllerMethods()
export class StatusController implements StatusServiceController {
  constructor(
    @Inject(JobAccess) private readonly access: JobAccess,
    @Inject(JobStatusService) private readonly jobs: JobStatusService,
    @Inject(SystemStatusService) private readonly system: SystemStatusService,
  ) {}

  async getJob(request: GetJobRequest, metadata?: Metadata): Promise<GetJobResponse> {
    const jobId = validJobId(request.jobId);
    this.access.authorize(jobId, credentialsOf(metadata));
    return { view: toJobView(await this.jobs.get(jobId)) };
  }

  watchJob(request: WatchJobRequest, metadata?: Metadata): Observable<WatchJobResponse> {
    const jobId = validJobId(request.jobId);
    this.access.authorize(jobId, credentialsOf(metadata));
    return this.jobs.watch(jobId).pipe(map((status) => ({ view: toJobView(status) })));
  }

  listQueues(_request: unknown, metadata?: Metadata): Promise<ListQueuesResponse> {
    this.access.authorizeAdmin(credentialsOf(metadata));
    return this.system.queues();
  }

  listNodes(_request: unknown, metadata?: Metadata): Promise<ListNodesResponse> {
    this.access.authorizeAdmin(credentialsOf(metadata));
    return this.system.nodes();
  }

  watchSystem(_request: unknown, metadata?: Metadata): Observable<WatchSystemResponse> {
    this.access.authorizeAdmin(credentialsOf(metadata));
    return from(this.system.watch());
  }
}
