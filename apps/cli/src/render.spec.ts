import { describe, expect, it } from '@jest/globals';
import type { SubmissionResult } from '@introeval/contracts';
import { duration, progressKey, progressLine, queueJobs, queuesTable, statusTables, summary } from './render.js';

function result(fields: Partial<SubmissionResult>): SubmissionResult {
  return { id: 'job-1', status: 'completed', stage: 'rate', error: null, notice: null, feedback: [], ...fields } as SubmissionResult;
}

describe('summary', () => {
  it('shows the job\'s notice under its status', () => {
    const notice = 'Your scores were given by the fallback rules engine, because the ollama rating engine could not be reached.';
    expect(summary(result({ notice })).split('\n')).toEqual(['Submission job-1: completed', `Note: ${notice}`]);
  });

  it('shows no note when there is none (or the gateway is older and sends none)', () => {
    expect(summary(result({}))).toBe('Submission job-1: completed');
    expect(summary(result({ notice: undefined }))).toBe('Submission job-1: completed');
  });
});

describe('progress with the status service', () => {
  const now = Date.parse('2026-12-04T10:00:00Z');
  const at = (sec: number) => new Date(now + sec * 1000).toISOString();
  const waiting = {
    ...result({ id: 'abcdef12-0000-4000-8000-000000000000', status: 'queued', stage: 'extract' }),
    position: [{ stage: 'extract' as const, position: 2, queued: 5, current: true }, { stage: 'rate' as const, position: 4, queued: 0, current: false }],
    waitingFor: { code: 'phase' as const, message: 'waiting for the GPU on node gpu-0 to switch to profile extraction', node: 'gpu-0', phase: ['extract' as const], ahead: 1 },
    eta: { completeAt: at(150), low: at(120), high: at(190), remainingSec: 150, basis: 'replay', forecastAt: at(0) },
  };

  it('shows the position, what the job waits for and the ETA with its range', () => {
    expect(progressLine(waiting, 12, now)).toBe(
      'abcdef12  queued     waiting for reading your profile · position 2 of 5 · waiting for the GPU on node gpu-0 to switch to profile extraction · ETA 2 min 30 s (2 min-3 min 10 s) (12 s)',
    );
  });

  it('keeps the old line for a gateway that sends no position, and a new line only when the place changes', () => {
    expect(progressLine(result({ id: 'abcdef12-x', status: 'processing', stage: 'rate' }), 3, now)).toBe('abcdef12  processing scoring (3 s)');
    const later = { ...waiting, eta: { ...waiting.eta, completeAt: at(140) } };
    expect(progressKey(later)).toBe(progressKey(waiting));
    expect(progressKey({ ...waiting, position: [{ ...waiting.position[0], position: 1 }] })).not.toBe(progressKey(waiting));
  });

  it('writes durations as a student reads them', () => {
    expect([duration(0), duration(44.6), duration(60), duration(150), duration(3600), duration(3900)]).toEqual([
      '0 s',
      '45 s',
      '1 min',
      '2 min 30 s',
      '1 h',
      '1 h 5 min',
    ]);
  });
});

describe('admin tables', () => {
  const queues = {
    observedAt: null,
    queues: [
      { stage: 'transcribe', waiting: 2, inFlight: 1, oldestWaitingSec: 75, consumers: 0, deadLetters: 1, alarm: 'no worker is consuming', jobs: [
        { jobId: 'j-1', studentId: 's-1', position: 1, queuedAt: '2026-12-04T09:58:45Z' },
        { jobId: 'j-2', studentId: null, position: 2, queuedAt: null },
      ] },
    ],
  };

  it('lists queues with their alarm, and each stage’s waiting jobs in order', () => {
    expect(queuesTable(queues).split('\n')).toEqual([
      'STAGE       WAITING  IN FLIGHT  OLDEST      WORKERS  DEAD LETTERS  ALARM',
      'transcribe  2        1          1 min 15 s  0        1             no worker is consuming',
    ]);
    expect(queueJobs(queues, Date.parse('2026-12-04T10:00:00Z')).split('\n')).toEqual([
      'transcribe: 2 waiting, 1 in flight (no worker is consuming)',
      '#  JOB  STUDENT  QUEUED',
      '1  j-1  s-1      1 min 15 s ago',
      '2  j-2  -        -',
    ]);
  });

  it('says so when there are no GPU nodes', () => {
    expect(statusTables({ observedAt: null, nodes: [] }, queues).split('\n')[0]).toBe('no GPU nodes: every stage runs on the CPU engines');
  });
});
