import { ErrorCode, IntroEvalError } from '@introeval/contracts';
import { GROUPS, LEASE_STATES, WORKER_STATES } from './lease.record.js';
import type { Group, LeaseRecord, WorkerReport } from './lease.record.js';

// Records come from KV, where any process (or a person with the nats CLI) may have written them: check every field
// instead of trusting a cast. Unknown fields are allowed, so a newer scheduler can add one without breaking workers.

type Plain = Record<string, unknown>;

const NODE_NAME = /^[-/_=a-zA-Z0-9]+(\.[-/_=a-zA-Z0-9]+)*$/;
const KEY_TOKEN = /^[-/_=a-zA-Z0-9]+$/;

function isPlain(value: unknown): value is Plain {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isNonNegativeInteger(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

function isIsoDate(value: unknown): boolean {
  return typeof value === 'string' && value.length > 0 && !Number.isNaN(Date.parse(value));
}

function oneOf<T>(values: readonly T[], value: unknown): value is T {
  return (values as readonly unknown[]).includes(value);
}

function isGroup(value: unknown): value is Group {
  return oneOf(GROUPS, value);
}

function nonEmptyString(problems: string[], record: Plain, field: string): void {
  if (typeof record[field] !== 'string' || record[field] === '') problems.push(`${field} must be a non-empty string`);
}

/** Everything wrong with `value` as a LeaseRecord; empty when it is one. */
export function leaseRecordProblems(value: unknown): string[] {
  if (!isPlain(value)) return ['expected a JSON object'];
  const problems: string[] = [];
  nonEmptyString(problems, value, 'node');
  nonEmptyString(problems, value, 'holder');
  const { phase, state, epoch, since, concurrency, quota } = value;
  if (!Array.isArray(phase) || !phase.every(isGroup) || new Set(phase).size !== phase.length) {
    problems.push(`phase must be a list of distinct groups (${GROUPS.join(', ')})`);
  }
  if (!oneOf(LEASE_STATES, state)) problems.push(`state must be one of ${LEASE_STATES.join(', ')}`);
  if (!isNonNegativeInteger(epoch)) problems.push('epoch must be a non-negative integer');
  if (!isIsoDate(since)) problems.push('since must be an ISO date');
  if (concurrency !== undefined) {
    const valid =
      isPlain(concurrency) &&
      Object.entries(concurrency).every(([group, limit]) => isGroup(group) && isNonNegativeInteger(limit) && limit > 0);
    if (!valid) problems.push('concurrency must map groups to positive integers');
  }
  if (quota !== undefined && quota !== null && !isNonNegativeInteger(quota)) {
    problems.push('quota must be null or a non-negative integer');
  }
  return problems;
}

/** Everything wrong with `value` as a WorkerReport; empty when it is one. */
export function workerReportProblems(value: unknown): string[] {
  if (!isPlain(value)) return ['expected a JSON object'];
  const problems: string[] = [];
  nonEmptyString(problems, value, 'node');
  nonEmptyString(problems, value, 'workerId');
  if (!isGroup(value.group)) problems.push(`group must be one of ${GROUPS.join(', ')}`);
  if (!isNonNegativeInteger(value.epoch)) problems.push('epoch must be a non-negative integer');
  if (!oneOf(WORKER_STATES, value.state)) problems.push(`state must be one of ${WORKER_STATES.join(', ')}`);
  if (!isNonNegativeInteger(value.inFlight)) problems.push('inFlight must be a non-negative integer');
  if (!isNonNegativeInteger(value.started)) problems.push('started must be a non-negative integer');
  if (!isNonNegativeInteger(value.leaseRevision)) problems.push('leaseRevision must be a non-negative integer');
  if (!isIsoDate(value.at)) problems.push('at must be an ISO date');
  return problems;
}

/**
 * Node names become KV keys (and the first tokens of worker keys): letters, digits, `-/_=`, and dots between tokens,
 * so a Kubernetes node name like `gpu-1.lab.example` works as it is.
 */
export function assertNodeName(node: string): void {
  if (!NODE_NAME.test(node)) {
    const rule = 'letters, digits, -/_= and inner dots';
    throw new IntroEvalError(ErrorCode.InvalidInput, `node name "${node}" is not usable as a KV key (${rule})`, true);
  }
}

/** Worker ids are the last token of a worker key, so they cannot contain dots. */
export function assertWorkerId(workerId: string): void {
  if (!KEY_TOKEN.test(workerId)) {
    const rule = 'letters, digits, -/_=, no dots';
    const message = `worker id "${workerId}" is not usable as a KV key token (${rule})`;
    throw new IntroEvalError(ErrorCode.InvalidInput, message, true);
  }
}

export type Parsed<T> = { ok: true; value: T } | { ok: false; problems: string[] };

function parseChecked<T>(text: string, problemsOf: (value: unknown) => string[]): Parsed<T> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { ok: false, problems: [`not JSON (${error instanceof Error ? error.message : String(error)})`] };
  }
  const problems = problemsOf(value);
  return problems.length === 0 ? { ok: true, value: value as T } : { ok: false, problems };
}

/** A KV value as a LeaseRecord, or the list of what is wrong with it. */
export function parseLeaseRecord(text: string): Parsed<LeaseRecord> {
  return parseChecked<LeaseRecord>(text, leaseRecordProblems);
}

/** A KV value as a WorkerReport, or the list of what is wrong with it. */
export function parseWorkerReport(text: string): Parsed<WorkerReport> {
  return parseChecked<WorkerReport>(text, workerReportProblems);
}
