/**
 * Every way a job can fail: what a job's `error.code` may be, as the API, CLI and gRPC report it. A few of these also
 * refuse a request before there is a job (INVALID_INPUT, TRANSCRIPT_EMPTY, MEDIA_TOO_LARGE).
 */
export enum JobErrorCode {
  MediaEmpty = 'MEDIA_EMPTY',
  MediaUnreadable = 'MEDIA_UNREADABLE',
  MediaNoAudio = 'MEDIA_NO_AUDIO',
  MediaTruncated = 'MEDIA_TRUNCATED',
  MediaSilent = 'MEDIA_SILENT',
  MediaTooShort = 'MEDIA_TOO_SHORT',
  MediaTooLong = 'MEDIA_TOO_LONG',
  MediaTooLarge = 'MEDIA_TOO_LARGE',
  /** A text submission, or a transcript, with nothing to evaluate. */
  TranscriptEmpty = 'TRANSCRIPT_EMPTY',
  /** A message or request that does not match its contract. */
  InvalidInput = 'INVALID_INPUT',
  /** A stage kept failing on a transient error until it ran out of attempts. */
  StageExhausted = 'STAGE_EXHAUSTED',
  /** A model server (Ollama, a Whisper server) is unreachable, overloaded, or did not answer in time: transient. */
  EngineUnavailable = 'ENGINE_UNAVAILABLE',
  /** A model kept answering with output that does not match the expected shape, even after a repair turn. */
  EngineInvalidOutput = 'ENGINE_INVALID_OUTPUT',
  /** A GPU residency switch (model load or unload, Deployment scale) did not finish in time: transient. */
  ResidencyTimeout = 'RESIDENCY_TIMEOUT',
  /** An engine or the Kubernetes API refused a residency switch outright (unknown model, forbidden). */
  ResidencyRefused = 'RESIDENCY_REFUSED',
  Internal = 'INTERNAL',
}

/** Why a request (HTTP today, gRPC next) was refused; never a job's `error.code`. */
export enum RequestErrorCode {
  /** A request in a format the API does not take (e.g. text/plain). */
  UnsupportedMediaType = 'UNSUPPORTED_MEDIA_TYPE',
  /** An Idempotency-Key already used for a different submission. */
  IdempotencyKeyReused = 'IDEMPOTENCY_KEY_REUSED',
  NotFound = 'NOT_FOUND',
  /** No credentials. */
  Unauthorized = 'UNAUTHORIZED',
  /** Credentials that do not open this job. */
  Forbidden = 'FORBIDDEN',
  /** A dependency (NATS) is unreachable or the service is at capacity: retry later. */
  Unavailable = 'UNAVAILABLE',
}

/**
 * The codes an IntroEvalError carries: a job's or a request's. A transport maps this union once, exhaustively
 * (`Record<ErrorCode, ...>` or a switch): HTTP and gRPC map both halves, the JetStream transport only job codes
 * (`toJobErrorCode`). Lease errors are not among them: they stay inside the scheduler (libs/lease `LeaseErrorCode`).
 */
export type ErrorCode = JobErrorCode | RequestErrorCode;

/**
 * Both enums under one name, so that code which throws writes `ErrorCode.MediaEmpty` without having to know which
 * half a code is in; each member keeps its own enum's type (`ErrorCode.NotFound` is a `RequestErrorCode`).
 */
export const ErrorCode = { ...JobErrorCode, ...RequestErrorCode } as const;

const JOB_ERROR_CODES = new Set<string>(Object.values(JobErrorCode));

/** True for a code a job may fail with (a string read back from a dead letter or a job record, say). */
export function isJobErrorCode(code: string): code is JobErrorCode {
  return JOB_ERROR_CODES.has(code);
}

/**
 * The code a job fails with when a stage ends on `code`. A request code there means a stage hit an error that only
 * requests should (a job record that vanished, say): that is a fault of ours, not the student's, so INTERNAL.
 */
export function toJobErrorCode(code: ErrorCode): JobErrorCode {
  if (isJobErrorCode(code)) return code;
  switch (code) {
    case RequestErrorCode.UnsupportedMediaType:
    case RequestErrorCode.IdempotencyKeyReused:
    case RequestErrorCode.NotFound:
    case RequestErrorCode.Unauthorized:
    case RequestErrorCode.Forbidden:
    case RequestErrorCode.Unavailable:
      return JobErrorCode.Internal;
  }
}

/**
 * An error that carries a code. `permanent` errors end the job at once (the message is terminated, never retried);
 * others are treated as transient and retried with backoff.
 */
export class IntroEvalError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly permanent: boolean,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'IntroEvalError';
  }

  /** The job cannot succeed with this input: fail it now with a message the student understands. */
  static permanent(code: ErrorCode, message: string, cause?: unknown): IntroEvalError {
    return new IntroEvalError(code, message, true, { cause });
  }
}

export function isPermanent(error: unknown): error is IntroEvalError {
  return error instanceof IntroEvalError && error.permanent;
}
