export * from './lease.record.js';
export * from './lease.errors.js';
export * from './lease.buckets.js';
export * from './leader.election.js';
export * from './lease.store.js';
export * from './worker.presence.js';
export * from './lease.gate.js';
export type { Clock, LeaseLogger } from './clock.js';
export {
  leaseRecordProblems,
  workerReportProblems,
  parseLeaseRecord,
  parseWorkerReport,
  type Parsed,
} from './lease.validation.js';
export * from './scheduler.report.js';
