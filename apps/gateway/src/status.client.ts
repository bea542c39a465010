import { status as GrpcStatus } from '@grpc/grpc-js';
import type { OnModuleDestroy } from '@nestjs/common';
import { ClientGrpcProxy } from '@nestjs/microservices';
import { catchError, firstValueFrom, map, timeout, type Observable } from 'rxjs';
import { IntroEvalError, type SubmissionStatus } from '@introeval/contracts';
import {
  credentialsMetadata,
  errorCodeOfGrpcStatus,
  STATUS_SERVICE_NAME,
  statusGrpcOptions,
  toNodeListing,
  toQueueListing,
  toSubmissionStatus,
  type NodeListing,
  type QueueListing,
  type StatusCredentials,
  type StatusServiceClient,
} from '@introeval/status-api';

/** A gRPC error as grpc-js reports it. */
interface GrpcError {
  code?: number;
  details?: string;
  message?: string;
}

/** A failed call to the status service as an IntroEvalError, so the HTTP filter maps it like any other error. */
function toIntroEvalError(error: unknown): IntroEvalError {
  if (error instanceof IntroEvalError) return error;
  const grpc = error as GrpcError;
  if (error instanceof Error && error.name === 'TimeoutError') {
    return new IntroEvalError(errorCodeOfGrpcStatus(GrpcStatus.DEADLINE_EXCEEDED), 'the status service did not answer in time', false, { cause: error });
  }
  const code = typeof grpc?.code === 'number' ? errorCodeOfGrpcStatus(grpc.code) : errorCodeOfGrpcStatus(GrpcStatus.UNAVAILABLE);
  return new IntroEvalError(code, grpc?.details || grpc?.message || 'the status service failed', false, { cause: error });
}

/**
 * The gateway's side of the status API (apps/status): one gRPC channel, built from the same options object the
 * server listens with. Credentials are passed through as the request carried them; status decides again.
 */
export class StatusClient implements OnModuleDestroy {
  private readonly proxy: ClientGrpcProxy;
  private readonly service: StatusServiceClient;

  constructor(
    url: string,
    /** Longest wait for a unary answer: a result page must not hang on a slow status service. */
    private readonly timeoutMs: number,
  ) {
    this.proxy = new ClientGrpcProxy(statusGrpcOptions(url).options);
    this.service = this.proxy.getService<StatusServiceClient>(STATUS_SERVICE_NAME);
  }

  getJob(jobId: string, credentials: StatusCredentials): Promise<SubmissionStatus> {
    return this.unary(this.service.getJob({ jobId }, credentialsMetadata(credentials)).pipe(map((r) => toSubmissionStatus(r.view!))));
  }

  /** Every change of the job, ending after its final state; unsubscribing cancels the call. */
  watchJob(jobId: string, credentials: StatusCredentials): Observable<SubmissionStatus> {
    return this.service.watchJob({ jobId }, credentialsMetadata(credentials)).pipe(
      map((r) => toSubmissionStatus(r.view!)),
      catchError((error: unknown) => {
        throw toIntroEvalError(error);
      }),
    );
  }

  listQueues(adminToken: string | null): Promise<QueueListing> {
    return this.unary(this.service.listQueues({}, credentialsMetadata({ adminToken })).pipe(map(toQueueListing)));
  }

  listNodes(adminToken: string | null): Promise<NodeListing> {
    return this.unary(this.service.listNodes({}, credentialsMetadata({ adminToken })).pipe(map(toNodeListing)));
  }

  onModuleDestroy(): void {
    this.proxy.close();
  }

  private async unary<T>(call: Observable<T>): Promise<T> {
    try {
      return await firstValueFrom(call.pipe(timeout(this.timeoutMs)));
    } catch (error) {
      throw toIntroEvalError(error);
    }
  }
}
