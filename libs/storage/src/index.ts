export * from './buckets.js';
export * from './job.store.js';
export * from './media.store.js';
export * from './idempotency.store.js';
export * from './receipts.js';
export * from './idle-watchdog.js';
export * from './job-access.js';
