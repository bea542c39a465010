import { Inject, Injectable, ParseUUIDPipe, type CanActivate, type ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';
import { bearerToken, JobAccess } from '@introeval/storage';

/** The `:id` of a job route: a v4 UUID, or 400. */
export const JOB_ID_PIPE = new ParseUUIDPipe({ version: '4' });

/**
 * Lets a request through to a job route (`:id`) only with the job's receipt (`X-Receipt`) or the admin token
 * (`Authorization: Bearer`); the decision itself is JobAccess's, shared with the other transports. Refusals are
 * IntroEvalErrors (UNAUTHORIZED 401, FORBIDDEN 403), mapped by HttpErrorFilter like any other error.
 */
@Injectable()
export class JobAccessGuard implements CanActivate {
  constructor(@Inject(JobAccess) private readonly access: JobAccess) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<Request>();
    // Guards run before pipes: the id is checked here first so that a malformed one stays a 400 whoever asks.
    const id = await JOB_ID_PIPE.transform(request.params.id, { type: 'param', data: 'id' });
    if (typeof id !== 'string') return false; // the pipe is not optional: it returns the id or throws 400
    const receipt = header(request, 'x-receipt');
    this.access.authorize(id, { receipt, bearer: bearerToken(header(request, 'authorization')) });
    return true;
  }
}

function header(request: Request, name: string): string | null {
  const value = request.headers[name];
  return typeof value === 'string' ? value : null;
}
