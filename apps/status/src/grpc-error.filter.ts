import { Catch, Logger, type RpcExceptionFilter } from '@nestjs/common';
import { status as GrpcStatus } from '@grpc/grpc-js';
import { ClosedConnectionError, ConnectionError, NoRespondersError, RequestError, TimeoutError } from '@nats-io/transport-node';
import { throwError, type Observable } from 'rxjs';
import { IntroEvalError } from '@introeval/contracts';
import { GRPC_STATUS } from '@introeval/status-api';

/** What grpc-js turns into the call's status: `code`, and `details` (it falls back to `message`). */
export interface GrpcError {
  code: GrpcStatus;
  details: string;
  message: string;
}

function natsUnavailable(error: unknown): boolean {
  return [TimeoutError, ConnectionError, ClosedConnectionError, NoRespondersError, RequestError].some((type) => error instanceof type);
}

/**
 * Every error of every call becomes a gRPC status here, and only here: an IntroEvalError by its code (GRPC_STATUS, the
 * one mapping), NATS away as UNAVAILABLE, anything else INTERNAL with the details kept in the log.
 */
@Catch()
export class GrpcErrorFilter implements RpcExceptionFilter<unknown> {
  private readonly logger = new Logger('grpc');

  catch(exception: unknown): Observable<never> {
    return throwError(() => this.describe(exception));
  }

  describe(exception: unknown): GrpcError {
    if (exception instanceof IntroEvalError) return error(GRPC_STATUS[exception.code], exception.message);
    if (natsUnavailable(exception)) {
      this.logger.warn(`NATS unavailable: ${(exception as Error).message}`);
      return error(GrpcStatus.UNAVAILABLE, 'the status service cannot reach NATS right now; try again shortly');
    }
    this.logger.error((exception as Error)?.stack ?? String(exception));
    return error(GrpcStatus.INTERNAL, 'internal error; the operators have the details in the logs');
  }
}

const error = (code: GrpcStatus, message: string): GrpcError => ({ code, details: message, message });
