import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { GrpcOptions } from '@nestjs/microservices';
import { Transport } from '@nestjs/microservices';
import { protobufPackage } from './generated/introeval/status/v1/status.js';

/** The repository's proto/ folder (from src/ or dist/ alike: both sit two levels below libs/status-api). */
const PROTO_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'proto');

/** The status API's proto, relative to PROTO_ROOT (the source of truth; the TypeScript is generated from it). */
export const STATUS_PROTO = 'introeval/status/v1/status.proto';
export const STATUS_PACKAGE = protobufPackage;
/** The service name as gRPC clients, health checks and reflection know it. */
export const STATUS_SERVICE = `${protobufPackage}.StatusService`;

/**
 * How @grpc/proto-loader reads the proto, for the server and every client alike: `longs: Number` turns uint64
 * (epochs, dead letters) into numbers, `defaults` fills absent scalars and lists (as ts-proto's types promise), and
 * `oneofs` keeps optional fields absent rather than zero.
 */
const LOADER = { keepCase: false, longs: Number, enums: String, defaults: true, oneofs: true, includeDirs: [PROTO_ROOT] };

/** A message size both ends accept: a job with a long transcript is well under 1 MB; a queue listing may be larger. */
const MAX_MESSAGE_BYTES = 16 * 1024 * 1024;

/**
 * The one options object of the status API: the status server listens with it (`url` = its bind address), the
 * gateway and the CLI connect with it (`url` = the server's address), so that the two ends never disagree on the
 * proto, the package or the loader options.
 */
export function statusGrpcOptions(url: string, extra: StatusServerExtras = {}): GrpcOptions {
  const { extraProtos = [], ...rest } = extra;
  return {
    transport: Transport.GRPC,
    options: {
      url,
      package: STATUS_PACKAGE,
      protoPath: [STATUS_PROTO, ...extraProtos],
      loader: LOADER,
      maxReceiveMessageLength: MAX_MESSAGE_BYTES,
      maxSendMessageLength: MAX_MESSAGE_BYTES,
      ...rest,
    },
  };
}

/** What only the server adds: services of its own on the same gRPC server (health), and their protos. */
export interface StatusServerExtras extends Pick<GrpcOptions['options'], 'onLoadPackageDefinition'> {
  /**
   * Absolute paths of further protos loaded into the same package definition, so that server reflection describes
   * them too (grpc.health.v1). Not added to Nest's `package`: Nest would then try to serve them itself.
   */
  extraProtos?: string[];
}
