import { newJobRecord, perStage, type JobRecord, type Stage } from '@introeval/contracts';
import type { LeaseRecord, SchedulerReport } from '@introeval/lease';
import type { Forecast } from '@introeval/scheduling';
import type { NodeState } from '../adapters/system.reader.js';
import type { QueuedJob, Snapshot } from '../snapshot/snapshot.types.js';
import { jobStatus } from './job-status.js';
import { gpuNodes, stageQueues } from './system-view.js';

const NOW = Date.parse('2026-05-01T10:00:00.000Z');
const ID = '00000000-0000-4000-8000-00000000000a';

function record(stage: Stage, change: Partial<JobRecord> = {}): JobRecord {
  const r = newJobRecord({ id: ID, source: 'media', studentId: 's1', media: null, transcript: null, traceparent: null, now: new Date(NOW - 60_000) });
  return { ...r, stage, ...change };
}

const queued = (seq: number, jobId: string, stage: Stage): QueuedJob => ({ seq, jobId, stage, queuedAtMs: NOW - 10_000 + seq, studentId: null, startedAtMs: null });

function lease(state: LeaseRecord['state'], phase: LeaseRecord['phase'], next?: LeaseRecord['phase']): LeaseRecord {
  return { node: 'gpu-0', phase, state, epoch: 7, holder: 'sched-a', since: new Date(NOW - 4_000).toISOString(), ...(next ? { next: { phase: next } } : {}) };
}

function snapshot(nodes: NodeState[], waiting: Partial<Record<Stage, QueuedJob[]>> = {}, consumers = 1): Snapshot {
  const forecast: Forecast = { atSec: NOW / 1000, jobs: new Map(), nodes: new Map(), basis: 'spec' };
  return {
    atMs: NOW,
    stages: perStage((stage) => ({
      stage,
      waiting: waiting[stage] ?? [],
      inFlight: [],
      consumers,
      service: { workers: consumers, concurrency: 1, secPerJob: 2, spreadSec: 0, samples: 0 },
      deadLetters: 0,
    })),
    nodes,
    // The transcription workers are bound to gpu-0.
    nodesOfStage: perStage((stage) => (stage === 'transcribe' && nodes.length > 0 ? ['gpu-0'] : [])),
    forecast,
    forecastOf: (record) => forecast.jobs.get(record.id),
  };
}

describe('what a job waits for', () => {
  const mine = [queued(5, 'other-1', 'transcribe'), queued(9, ID, 'transcribe')];

  it.each([
    ['granted', lease('granted', ['stt']), 'queued', 'queued behind 1 job for transcription'],
    ['another phase', lease('granted', ['rate']), 'phase', 'waiting for the GPU on node gpu-0 to switch to speech-to-text'],
    ['switching to it', lease('draining', ['rate'], ['stt']), 'switching', 'the GPU on node gpu-0 is switching to speech-to-text'],
    ['loading it', lease('loading', ['stt']), 'loading', 'the speech-to-text model is loading on the GPU of node gpu-0'],
  ])('on a node that is %s', (_what, nodeLease, code, message) => {
    const status = jobStatus(record('transcribe'), snapshot([{ name: 'gpu-0', lease: nodeLease, report: null }], { transcribe: mine }));
    expect(status.waitingFor).toMatchObject({ code, message });
    if (code !== 'queued') expect(status.waitingFor).toMatchObject({ node: 'gpu-0', phase: ['stt'], ahead: 1 });
    expect(status.position[0]).toEqual({ stage: 'transcribe', position: 2, queued: 2, current: true });
  });

  it('ignores GPU nodes for a stage whose workers run ungated', () => {
    const status = jobStatus(record('extract'), snapshot([{ name: 'gpu-0', lease: lease('granted', ['rate']), report: null }], { extract: [queued(3, ID, 'extract')] }));
    expect(status.waitingFor).toMatchObject({ code: 'queued', message: 'next in line for profile extraction', node: null });
  });

  it('passes on the notice of an engine being retried', () => {
    const notice = 'Waiting for the speech-to-text engine, which is not reachable right now; retrying.';
    const status = jobStatus(record('transcribe', { notice, errorDetail: 'ECONNREFUSED' }), snapshot([], { transcribe: mine }));
    expect(status.waitingFor).toMatchObject({ code: 'engine-unreachable', message: notice });
  });

  it('says so when nobody consumes the stage', () => {
    const status = jobStatus(record('transcribe'), snapshot([], { transcribe: mine }, 0));
    expect(status.waitingFor?.code).toBe('no-worker');
  });

  it('gives no ETA for a job the forecast cannot finish, and a range around it for one it can', () => {
    const stalled = snapshot([], { transcribe: mine });
    const stages = [{ stage: 'transcribe' as const, position: 2, startSec: Infinity, endSec: Infinity, node: null }];
    stalled.forecast.jobs.set(ID, { completeAtSec: Infinity, lowSec: Infinity, highSec: Infinity, stages, switchAhead: null, stalledAt: 'transcribe' });
    expect(jobStatus(record('transcribe'), stalled).eta).toBeNull();

    const fine = snapshot([], { transcribe: mine });
    fine.forecast.jobs.set(ID, { completeAtSec: NOW / 1000 + 30, lowSec: NOW / 1000 + 20, highSec: NOW / 1000 + 45, stages: [], switchAhead: null, stalledAt: null });
    expect(jobStatus(record('transcribe'), fine).eta).toEqual({
      completeAt: '2026-05-01T10:00:30.000Z',
      low: '2026-05-01T10:00:20.000Z',
      high: '2026-05-01T10:00:45.000Z',
      remainingSec: 30,
      basis: 'spec',
      forecastAt: '2026-05-01T10:00:00.000Z',
    });
  });

  it('shows nothing to wait for once final', () => {
    const status = jobStatus(record('rate', { status: 'completed' }), snapshot([]));
    expect(status).toMatchObject({ position: [], waitingFor: null, eta: null });
  });
});

describe('the admin views', () => {
  it('shows a switch under way with its elapsed time and the scheduler\'s measurements', () => {
    const report = {
      node: 'gpu-0',
      at: new Date(NOW - 500).toISOString(),
      policy: 'adaptive',
      switchStartedAt: new Date(NOW - 6_000).toISOString(),
      plan: { next: ['stt'], atSec: null },
      switchSec: { mean: 8.1, spread: 1, samples: 3 },
      groups: { stt: { mean: 2.9, spread: 0.4, samples: 12, concurrency: 2, vramMb: 4500 } },
      resident: [{ group: 'rate', model: 'llama3', vramMb: null }],
    } as unknown as SchedulerReport;
    const [node] = gpuNodes(snapshot([{ name: 'gpu-0', lease: lease('releasing', ['rate'], ['stt']), report }]));
    expect(node.switch).toEqual({ from: ['rate'], to: ['stt'], state: 'releasing', elapsedSec: 6 });
    expect(node.nextPhase).toEqual(['stt']);
    expect(node.lease).toMatchObject({ phase: ['rate'], state: 'releasing', epoch: 7, holder: 'sched-a' });
    expect(node.groups).toEqual([{ group: 'stt', secPerJob: 2.9, spreadSec: 0.4, concurrency: 2, samples: 12 }]);
    expect(node.resident).toEqual([{ group: 'rate', model: 'llama3', vramMb: undefined }]);
    expect(node.switchSec).toBe(8.1);
  });

  it('lists a stuck queue with its alarm and the age of its oldest job', () => {
    const queues = stageQueues(snapshot([], { rate: [queued(2, ID, 'rate')] }, 0));
    const rate = queues.find((q) => q.stage === 'rate')!;
    expect(rate).toMatchObject({ waiting: 1, consumers: 0, alarm: 'no worker is consuming', oldestWaitingSec: 9.998 });
    expect(queues.find((q) => q.stage === 'upload')!.alarm).toBeUndefined();
  });
});
