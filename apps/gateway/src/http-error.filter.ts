import { ArgumentsHost, Catch, HttpException, Logger, type ExceptionFilter } from '@nestjs/common';
import type { Request, Response } from 'express';
import { ClosedConnectionError, ConnectionError, NoRespondersError, RequestError, TimeoutError } from '@nats-io/transport-node';
import { ErrorCode, IntroEvalError } from '@introeval/contracts';

/**
 * The HTTP status of every code an IntroEvalError can carry, request and job codes alike: the one place that decides
 * it. Lease errors (libs/lease) are not IntroEvalErrors: they stay in the scheduler and never reach a request.
 */
const STATUS: Record<ErrorCode, number> = {
  // Request errors: why a request was refused.
  [ErrorCode.UnsupportedMediaType]: 415,
  [ErrorCode.IdempotencyKeyReused]: 422,
  [ErrorCode.NotFound]: 404,
  [ErrorCode.Unauthorized]: 401,
  [ErrorCode.Forbidden]: 403,
  [ErrorCode.Unavailable]: 503,
  // Job errors that also refuse a request before there is a job.
  [ErrorCode.InvalidInput]: 400,
  [ErrorCode.TranscriptEmpty]: 400,
  [ErrorCode.MediaTooLarge]: 413,
  [ErrorCode.Internal]: 500,
  // Job outcomes, reported in results rather than as request errors; 422 should one ever surface here.
  [ErrorCode.MediaEmpty]: 422,
  [ErrorCode.MediaUnreadable]: 422,
  [ErrorCode.MediaNoAudio]: 422,
  [ErrorCode.MediaTruncated]: 422,
  [ErrorCode.MediaSilent]: 422,
  [ErrorCode.MediaTooShort]: 422,
  [ErrorCode.MediaTooLong]: 422,
  [ErrorCode.StageExhausted]: 500,
  [ErrorCode.EngineUnavailable]: 503,
  [ErrorCode.EngineInvalidOutput]: 500,
  // The scheduler's, never a request's; listed so the table stays complete.
  [ErrorCode.ResidencyTimeout]: 503,
  [ErrorCode.ResidencyRefused]: 500,
};

/** Seconds a client should wait before retrying a 503. */
const RETRY_AFTER_SEC = 5;

/** How long the rest of a refused upload is read and discarded after the answer, before the connection is cut. */
const LINGER_MS = 2000;

function natsUnavailable(error: unknown): boolean {
  return [TimeoutError, ConnectionError, ClosedConnectionError, NoRespondersError, RequestError].some(
    (type) => error instanceof type,
  );
}

/**
 * An upload refused mid-stream. Closing the connection at once would reset a client that is still sending, and the
 * reset can destroy the 413 before the client reads it; so Node discards the rest of the body for a moment (it
 * drains an unread request after the response) and the connection is cut only if the body is still coming then.
 */
function lingerThenClose(request: Request, response: Response): void {
  response.once('finish', () => {
    if (request.complete) return;
    // Checked again when the timer fires: a body that finished meanwhile leaves a keep-alive socket that the client
    // may already be using for its next request.
    setTimeout(() => request.complete || request.socket.destroy(), LINGER_MS).unref();
  });
}

/** Maps every error to `{ error: { code, message } }` with the status its code implies. */
@Catch()
export class HttpErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger('http');

  catch(exception: unknown, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<Response>();
    const request = host.switchToHttp().getRequest<Request>();
    const { status, code, message } = this.describe(exception);
    if (status >= 500 && status !== 503) this.logger.error((exception as Error)?.stack ?? String(exception));
    if (status === 503) {
      this.logger.warn(`${request.method} ${request.path}: ${(exception as Error)?.message}`);
      response.setHeader('Retry-After', String(RETRY_AFTER_SEC));
    }
    if (response.headersSent || request.socket.destroyed) return;
    if (status === 413) lingerThenClose(request, response);
    response.status(status).json({ error: { code, message } });
  }

  private describe(exception: unknown): { status: number; code: string; message: string } {
    if (exception instanceof IntroEvalError) {
      return { status: STATUS[exception.code], code: exception.code, message: exception.message };
    }
    if (natsUnavailable(exception)) {
      return { status: 503, code: ErrorCode.Unavailable, message: 'the service is temporarily unavailable; try again shortly' };
    }
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const code =
        status === 404 ? ErrorCode.NotFound : status === 401 ? ErrorCode.Unauthorized : status < 500 ? ErrorCode.InvalidInput : ErrorCode.Internal;
      return { status, code, message: exception.message };
    }
    return { status: 500, code: ErrorCode.Internal, message: 'internal error; the operators have the details in the logs' };
  }
}
