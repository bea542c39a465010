export * from './job-lifecycle.js';
export * from './job-notices.js';
export * from './process-lifecycle.js';
export * from './run-worker.js';
export * from './work-dir.js';
export * from './lease-pull-gate.js';
