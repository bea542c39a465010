import { ArgumentsHost, Catch, HttpException, HttpStatus, Logger, type ExceptionFilter } from '@nestjs/common';
import type { Request, Response } from 'express';
import { ErrorCode, IntroEvalError } from '@introeval/contracts';

const STATUS: Partial<Record<ErrorCode, number>> = {
  [ErrorCode.InvalidInput]: HttpStatus.BAD_REQUEST,
  [ErrorCode.TranscriptEmpty]: HttpStatus.BAD_REQUEST,
  [ErrorCode.MediaTooLarge]: HttpStatus.PAYLOAD_TOO_LARGE,
  [ErrorCode.NotFound]: HttpStatus.NOT_FOUND,
  [ErrorCode.Unauthorized]: HttpStatus.UNAUTHORIZED,
};

/** An HTTP error whose status differs from its code's usual one (e.g. 403 for a receipt that does not match). */
export class HttpError extends IntroEvalError {
  constructor(
    readonly status: number,
    code: ErrorCode,
    message: string,
  ) {
    super(code, message, true);
  }
}

/** How long the rest of a refused upload is read and discarded after the answer, before the connection is cut. */
const LINGER_MS = 2000;

/**
 * An upload refused mid-stream. Closing the connection at once would reset a client that is still sending, and the
 * reset can destroy the 413 before the client reads it; so Node discards the rest of the body for a moment (it
 * drains an unread request after the response) and the connection is cut only if the body is still coming then.
 */
function lingerThenClose(request: Request, response: Response): void {
  response.once('finish', () => {
    if (request.complete) return;
    setTimeout(() => request.socket.destroy(), LINGER_MS).unref();
  });
}

/** Maps every error to `{ error: { code, message } }` with the status its code implies: the one place that does. */
@Catch()
export class HttpErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger('http');

  catch(exception: unknown, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<Response>();
    const request = host.switchToHttp().getRequest<Request>();
    const { status, code, message } = this.describe(exception);
    if (status >= 500) this.logger.error((exception as Error)?.stack ?? String(exception));
    if (response.headersSent) return;
    if (status === 413) lingerThenClose(request, response);
    response.status(status).json({ error: { code, message } });
  }

  private describe(exception: unknown): { status: number; code: string; message: string } {
    if (exception instanceof HttpError) {
      return { status: exception.status, code: exception.code, message: exception.message };
    }
    if (exception instanceof IntroEvalError) {
      return { status: STATUS[exception.code] ?? 500, code: exception.code, message: exception.message };
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
