export { engineCall, isConnectionError, networkReason, type EngineCall, type EngineResponse } from './engine-call.js';
export { engineRequest, type EngineRequest, type RetryPolicy } from './engine-request.js';
export { EngineHttpError } from './engine-http.error.js';
export { RETRYABLE_STATUSES, isRetryableStatus } from './retryable-status.js';
