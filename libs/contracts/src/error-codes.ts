/** Every way a job can fail, as the API, CLI and gRPC report it in `error.code`. */
export enum ErrorCode {
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
  /** A model server (Ollama, a Whisper server) is unreachable, overloaded, or did not answer in time: transient. */
  EngineUnavailable = 'ENGINE_UNAVAILABLE',
  /** A model kept answering with output that does not match the expected shape, even after a repair turn. */
  EngineInvalidOutput = 'ENGINE_INVALID_OUTPUT',
  /** A GPU residency switch (model load or unload, Deployment scale) did not finish in time: transient. */
  ResidencyTimeout = 'RESIDENCY_TIMEOUT',
  /** An engine or the Kubernetes API refused a residency switch outright (unknown model, forbidden). */
  ResidencyRefused = 'RESIDENCY_REFUSED',
  Internal = 'INTERNAL',
  /** A GPU lease write lost a compare-and-set (stale revision) or tried to lower the epoch (libs/lease). */
  LeaseConflict = 'LEASE_CONFLICT',
  /** A scheduler acted without holding (or after losing) leadership of its node (libs/lease). */
  NotLeader = 'NOT_LEADER',
  /** A lease or worker record in KV that does not match its shape (libs/lease). */
  LeaseRecordInvalid = 'LEASE_RECORD_INVALID',
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
