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
export function errorCodeOfGrpcStatus(code: GrpcStatus): ErrorCode {
  switch (code) {
    case GrpcStatus.UNAUTHENTICATED:
      return ErrorCode.Unauthorized;
    case GrpcStatus.PERMISSION_DENIED:
      return ErrorCode.Forbidden;
    case GrpcStatus.NOT_FOUND:
      return ErrorCode.NotFound;
    case GrpcStatus.INVALID_ARGUMENT:
      return ErrorCode.InvalidInput;
    case GrpcStatus.UNAVAILABLE:
    case GrpcStatus.DEADLINE_EXCEEDED:
      return ErrorCode.Unavailable;
    // Nothing the status service sends on purpose: whatever went wrong, it is not the caller's to fix.
    case GrpcStatus.OK:
    case GrpcStatus.CANCELLED:
    case GrpcStatus.UNKNOWN:
    case GrpcStatus.ALREADY_EXISTS:
    case GrpcStatus.RESOURCE_EXHAUSTED:
    case GrpcStatus.FAILED_PRECONDITION:
    case GrpcStatus.ABORTED:
    case GrpcStatus.OUT_OF_RANGE:
    case GrpcStatus.UNIMPLEMENTED:
    case GrpcStatus.INTERNAL:
    case GrpcStatus.DATA_LOSS:
      return ErrorCode.Internal;
  }
}
