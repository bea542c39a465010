import { status as GrpcStatus } from '@grpc/grpc-js';
import { ErrorCode, JobErrorCode, RequestErrorCode } from '@introeval/contracts';

/**
 * The gRPC status code of every IntroEval error code: the one place the status API maps them (the HTTP filter does
 * the same for HTTP). Exhaustive: a new code fails the type check until it is mapped here.
 */
export const GRPC_STATUS: Record<ErrorCode, GrpcStatus> = {
  [RequestErrorCode.Unauthorized]: GrpcStatus.UNAUTHENTICATED,
  [RequestErrorCode.Forbidden]: GrpcStatus.PERMISSION_DENIED,
  [RequestErrorCode.NotFound]: GrpcStatus.NOT_FOUND,
  [RequestErrorCode.Unavailable]: GrpcStatus.UNAVAILABLE,
  [RequestErrorCode.UnsupportedMediaType]: GrpcStatus.INVALID_ARGUMENT,
  [RequestErrorCode.IdempotencyKeyReused]: GrpcStatus.ALREADY_EXISTS,
  [JobErrorCode.InvalidInput]: GrpcStatus.INVALID_ARGUMENT,
  [JobErrorCode.MediaEmpty]: GrpcStatus.INVALID_ARGUMENT,
  [JobErrorCode.MediaUnreadable]: GrpcStatus.INVALID_ARGUMENT,
  [JobErrorCode.MediaNoAudio]: GrpcStatus.INVALID_ARGUMENT,
  [JobErrorCode.MediaTruncated]: GrpcStatus.INVALID_ARGUMENT,
  [JobErrorCode.MediaSilent]: GrpcStatus.INVALID_ARGUMENT,
  [JobErrorCode.MediaTooShort]: GrpcStatus.INVALID_ARGUMENT,
  [JobErrorCode.MediaTooLong]: GrpcStatus.INVALID_ARGUMENT,
  [JobErrorCode.MediaTooLarge]: GrpcStatus.RESOURCE_EXHAUSTED,
  [JobErrorCode.TranscriptEmpty]: GrpcStatus.INVALID_ARGUMENT,
  [JobErrorCode.StageExhausted]: GrpcStatus.UNAVAILABLE,
  [JobErrorCode.EngineUnavailable]: GrpcStatus.UNAVAILABLE,
  [JobErrorCode.EngineInvalidOutput]: GrpcStatus.INTERNAL,
  [JobErrorCode.ResidencyTimeout]: GrpcStatus.UNAVAILABLE,
  [JobErrorCode.ResidencyRefused]: GrpcStatus.FAILED_PRECONDITION,
  [JobErrorCode.Internal]: GrpcStatus.INTERNAL,
};

/** The reverse, for a client that turns a gRPC error back into an IntroEval code (the gateway, the CLI). */
const FROM_GRPC: Partial<Record<GrpcStatus, ErrorCode>> = {
  [GrpcStatus.UNAUTHENTICATED]: ErrorCode.Unauthorized,
  [GrpcStatus.PERMISSION_DENIED]: ErrorCode.Forbidden,
  [GrpcStatus.NOT_FOUND]: ErrorCode.NotFound,
  [GrpcStatus.INVALID_ARGUMENT]: ErrorCode.InvalidInput,
  // The server away, or too slow: both mean "try again shortly".
  [GrpcStatus.UNAVAILABLE]: ErrorCode.Unavailable,
  [GrpcStatus.DEADLINE_EXCEEDED]: ErrorCode.Unavailable,
};

export function errorCodeOfGrpcStatus(code: GrpcStatus): ErrorCode {
  return FROM_GRPC[code] ?? ErrorCode.Internal;
}
