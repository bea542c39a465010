import { describe, expect, it } from '@jest/globals';
import { parseLeaseRecord, parseWorkerReport } from './lease.validation.js';

const valid = { node: 'gpu-1', phase: ['stt'], state: 'granted', epoch: 3, holder: 'sched-a', since: '2025-01-01T00:00:00.000Z' };

describe('lease record validation', () => {
  it('accepts a valid record, with limits and with fields it does not know', () => {
    expect(parseLeaseRecord(JSON.stringify(valid))).toEqual({ ok: true, value: valid });
    const limited = { ...valid, concurrency: { stt: 4 }, quota: null, addedLater: true };
    expect(parseLeaseRecord(JSON.stringify(limited))).toEqual({ ok: true, value: limited });
  });

  it('names every problem of a corrupt record', () => {
    const parsed = parseLeaseRecord(
      JSON.stringify({ node: '', phase: ['stt', 'stt'], state: 'busy', epoch: 1.5, since: 'yesterday', concurrency: { gpu: 1 }, quota: -1 }),
    );
    expect(parsed.ok).toBe(false);
    expect(parsed.ok ? [] : parsed.problems).toEqual([
      'node must be a non-empty string',
      'holder must be a non-empty string',
      'phase must be a list of distinct groups (stt, extract, rate)',
      'state must be one of idle, loading, granted, draining, releasing',
      'epoch must be a non-negative integer',
      'since must be an ISO date',
      'concurrency must map groups to positive integers',
      'quota must be null or a non-negative integer',
    ]);
  });

  it('reports text that is not JSON, or JSON that is not an object', () => {
    expect(parseLeaseRecord('{"node":')).toMatchObject({ ok: false, problems: [expect.stringMatching(/^not JSON/)] });
    expect(parseLeaseRecord('[1]')).toEqual({ ok: false, problems: ['expected a JSON object'] });
    expect(parseLeaseRecord(JSON.stringify({ ...valid, concurrency: { stt: 0 } }))).toMatchObject({ ok: false });
  });

  it('checks worker reports', () => {
    const report = { node: 'gpu-1', group: 'rate', workerId: 'w1', epoch: 2, state: 'idle', inFlight: 0, started: 0, leaseRevision: 3, at: new Date().toISOString() };
    expect(parseWorkerReport(JSON.stringify(report))).toEqual({ ok: true, value: report });
    expect(parseWorkerReport(JSON.stringify({ ...report, state: 'asleep', inFlight: -2 }))).toEqual({
      ok: false,
      problems: ['state must be one of busy, idle, stopped', 'inFlight must be a non-negative integer'],
    });
  });
});
