import { ArgumentsHost, Catch, HttpException, HttpStatus, Logger, type ExceptionFilter } from '@nestjs/common';
import type { Response } from 'express';
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

/** Maps every error to `{ error: { code, message } }` with the status its code implies: the one place that does. */
@Catch()
export class HttpErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger('http');

  catch(exception: unknown, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<Response>();
    const { status, code, message } = this.describe(exception);
    if (status >= 500) this.logger.error((exception as Error)?.stack ?? String(exception));
    if (response.headersSent) return;
    // An upload refused mid-stream: close the connection instead of reading the rest of the body.
    if (status === HttpStatus.PAYLOAD_TOO_LARGE) response.setHeader('Connection', 'close');
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
