export * from './generated/introeval/status/v1/status.js';
export type { Timestamp } from './generated/google/protobuf/timestamp.js';
export * from './grpc-options.js';
export * from './credentials.js';
export * from './grpc-status.js';
export * from './timestamp.js';
export * from './job-mapping.js';
