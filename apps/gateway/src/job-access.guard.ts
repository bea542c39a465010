import { Inject, Injectable, ParseUUIDPipe, SetMetadata, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import type { StatusCredentials } from '@introeval/status-api';
import { bearerToken, JobAccess } from '@introeval/storage';

const RECEIPT_IN_QUERY = 'introeval:receipt-in-query';

/**
 * Marks a route whose clients cannot set headers (a browser's EventSource): it also takes the receipt as
 * `?receipt=`. Only such routes do: a receipt in a URL ends up in proxies' logs and browser history.
 */
export const ReceiptInQuery = () => SetMetadata(RECEIPT_IN_QUERY, true);

/** The `:id` of a job route: a v4 UUID, or 400. */
export const JOB_ID_PIPE = new ParseUUIDPipe({ version: '4' });

/**
 * Lets a request through to a job route (`:id`) only with the job's receipt (`X-Receipt`) or the admin token
 * (`Authorization: Bearer`); the decision itself is JobAccess's, shared with the other transports. Refusals are
 * IntroEvalErrors (UNAUTHORIZED 401, FORBIDDEN 403), mapped by HttpErrorFilter like any other error.
 */
@Injectable()
export class JobAccessGuard implements CanActivate {
  constructor(
    @Inject(JobAccess) private readonly access: JobAccess,
    @Inject(Reflector) private readonly reflector: Reflector,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<Request>();
    // Guards run before pipes: the id is checked here first so that a malformed one stays a 400 whoever asks.
    const id = await JOB_ID_PIPE.transform(request.params.id, { type: 'param', data: 'id' });
    if (typeof id !== 'string') return false; // the pipe is not optional: it returns the id or throws 400
    const inQuery = this.reflector.get<boolean>(RECEIPT_IN_QUERY, context.getHandler()) === true;
    const credentials = jobCredentials(request, inQuery);
    this.access.authorize(id, { receipt: credentials.receipt ?? null, bearer: credentials.adminToken ?? null });
    return true;
  }
}

/**
 * The credentials a request carries for a job: its receipt (X-Receipt, or on routes marked ReceiptInQuery also
 * `?receipt=`) and the bearer token; the gateway passes them on to the status service, which decides again.
 */
export function jobCredentials(request: Request, receiptInQuery: boolean): StatusCredentials {
  const query = receiptInQuery && typeof request.query.receipt === 'string' ? request.query.receipt : null;
  return { receipt: header(request, 'x-receipt') ?? query, adminToken: bearerToken(header(request, 'authorization')) };
}

function header(request: Request, name: string): string | null {
  const value = request.headers[name];
  return typeof value === 'string' ? value : null;
}
