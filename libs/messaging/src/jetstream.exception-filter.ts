import { Catch, type ArgumentsHost, type RpcExceptionFilter } from '@nestjs/common';
import { throwError, type Observable } from 'rxjs';

/**
 * Hands a handler's error to the JetStream transport unchanged. Nest's default RPC filter replaces every error that
 * is not an RpcException with a generic "Internal server error", which would turn a permanent IntroEvalError into a
 * retried one. Register it on the microservice: `app.useGlobalFilters(new JetStreamExceptionFilter())`.
 */
@Catch()
export class JetStreamExceptionFilter implements RpcExceptionFilter<unknown> {
  catch(exception: unknown, _host: ArgumentsHost): Observable<never> {
    return throwError(() => exception);
  }
}
