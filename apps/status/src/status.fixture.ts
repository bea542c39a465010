import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { credentials as grpcCredentials, loadPackageDefinition, type Client, type Metadata, type ServiceError } from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';
import { ClientProxyFactory, type ClientGrpcProxy } from '@nestjs/microservices';
import { protoPath as HEALTH_PROTO } from 'grpc-health-check';
import { firstValueFrom, toArray, type Observable } from 'rxjs';
import { credentialsMetadata, STATUS_SERVICE_NAME, statusGrpcOptions, type StatusCredentials, type StatusServiceClient } from '@introeval/status-api';

/** A StatusService client made from the one options object the server uses too (as the gateway makes it). */
export function statusClient(url: string): { client: StatusServiceClient; close(): void } {
  const proxy = ClientProxyFactory.create(statusGrpcOptions(url)) as unknown as ClientGrpcProxy;
  return { client: proxy.getService<StatusServiceClient>(STATUS_SERVICE_NAME), close: () => proxy.close() };
}

export const meta = (credentials: StatusCredentials): Metadata => credentialsMetadata(credentials);

/** The gRPC status code a call fails with (or a failure when it succeeds). */
export async function failureCode(call: Observable<unknown>): Promise<{ code: number; details: string }> {
  try {
    await firstValueFrom(call.pipe(toArray()));
  } catch (error) {
    const e = error as ServiceError;
    return { code: e.code, details: e.details };
  }
  throw new Error('the call succeeded');
}

type Unary<Req, Res> = (request: Req, callback: (error: ServiceError | null, response: Res) => void) => void;

/** A grpc.health.v1.Health client, from grpc-health-check's own proto. */
export function healthClient(url: string): Client & {
  check: Unary<{ service: string }, { status: string }>;
  watch(request: { service: string }): NodeJS.ReadableStream & { cancel(): void };
} {
  const definition = loadSync(HEALTH_PROTO, { keepCase: true, enums: String, defaults: true });
  const Health = (loadPackageDefinition(definition).grpc as never as { health: { v1: { Health: new (...args: unknown[]) => never } } })
    .health.v1.Health;
  return new Health(url, grpcCredentials.createInsecure());
}

/** A reflection client (grpc.reflection.v1), from @grpc/reflection's own proto: what grpcurl speaks. */
export function reflectionClient(url: string): Client & {
  ServerReflectionInfo(): NodeJS.ReadWriteStream & { write(request: object): boolean; end(): void };
} {
  const require = createRequire(import.meta.url);
  const root = join(dirname(require.resolve('@grpc/reflection/package.json')), 'build', 'proto');
  const definition = loadSync('grpc/reflection/v1/reflection.proto', { keepCase: true, defaults: true, oneofs: true, includeDirs: [root] });
  const reflection = (loadPackageDefinition(definition).grpc as never as { reflection: { v1: { ServerReflection: new (...args: unknown[]) => never } } })
    .reflection.v1.ServerReflection;
  return new reflection(url, grpcCredentials.createInsecure());
}
