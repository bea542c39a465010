import type { SubmissionStatus } from '@introeval/contracts';
import { fromProtoJob, StatusMappingError, toJobView, toProtoJob, toSubmissionStatus } from './job-mapping.js';

/** A completed media job with every optional part present. */
function completed(): SubmissionStatus {
  return {
    id: '3f2a9a7e-4b1c-4d8e-9f00-1a2b3c4d5e6f',
    status: 'completed',
    stage: 'rate',
    error: null,
    notice: 'Your scores were given by the fallback rules engine',
    transcript: { text: 'hello I am Ada', words: [{ w: 'hello', start: 0.1, end: 0.4, conf: 0.9 }], engine: 'pocketsphinx', model: null, durationSec: 45.5 },
    profile: {
      name: 'Ada',
      degree: null,
      major: 'CS',
      institution: null,
      graduationYear: 2027,
      yearOfStudy: null,
      skills: ['rust'],
      projects: [],
      experience: [],
      achievements: [],
      hobbies: ['chess'],
      careerGoal: null,
      strengths: [],
    },
    metrics: { wpm: 130, fillerPer100: 1.5, pauseRatio: 0.2, longPauses: null, fieldCoverage: 0.6, meanLengthOfRun: 7.5 },
    scores: { content: 4, structure: 3, clarity: 4, professionalism: 5, delivery: 3, total: 74 },
    feedback: ['Say your degree.'],
    provenance: {
      stt: { engine: 'pocketsphinx', model: null, version: '0.8' },
      extract: { engine: 'ollama', model: 'mistral', version: 'p1', digest: 'sha256:ab', promptTokens: 300, evalTokens: 90, loadMs: 0 },
      rate: { engine: 'rules', model: null, version: 'r1', fallbackFrom: 'ollama' },
    },
    timings: { submittedAt: '2026-05-01T10:00:00.000Z', completedAt: '2026-05-01T10:01:00.250Z', perStageMs: { upload: 200, transcribe: 9000, extract: 10, rate: 12 } },
    position: [],
    waitingFor: null,
    eta: null,
  };
}

/** A text job waiting in the extraction queue: nothing produced yet, a place in line and an ETA. */
function waiting(): SubmissionStatus {
  return {
    id: '00000000-0000-4000-8000-000000000001',
    status: 'queued',
    stage: 'extract',
    error: null,
    notice: null,
    transcript: { text: 'typed', words: [], engine: 'text', model: null, durationSec: null },
    profile: null,
    metrics: null,
    scores: null,
    feedback: [],
    provenance: { stt: null, extract: null, rate: null },
    timings: { submittedAt: '2026-05-01T10:00:00.000Z', completedAt: null, perStageMs: {} },
    position: [
      { stage: 'extract', position: 3, queued: 4, current: true },
      { stage: 'rate', position: 1, queued: 0, current: false },
    ],
    waitingFor: { code: 'phase', message: 'waiting for the GPU on node gpu-0 to switch to profile extraction', node: 'gpu-0', phase: ['extract'], ahead: 2 },
    eta: {
      completeAt: '2026-05-01T10:02:30.000Z',
      low: '2026-05-01T10:02:00.500Z',
      high: '2026-05-01T10:03:10.000Z',
      remainingSec: 150,
      basis: 'replay over 4 jobs',
      forecastAt: '2026-05-01T10:00:00.000Z',
    },
  };
}

/** What proto-loader hands a client for an absent field: null for messages (defaults: true), undefined for optionals. */
function asReceived<T>(value: T): T {
  return JSON.parse(JSON.stringify(value, (_key, v: unknown) => (v === undefined ? null : v))) as T;
}

describe('the status API mapping', () => {
  it.each([
    ['a completed job with every part', completed()],
    ['a waiting job with a position and an ETA', waiting()],
  ])('round-trips %s through the proto JobView', (_what, status) => {
    expect(toSubmissionStatus(toJobView(status))).toEqual(status);
    // As a gRPC client receives it, absent fields arriving as null.
    expect(toSubmissionStatus(asReceived(toJobView(status)))).toEqual(status);
  });

  it('leaves the contract\'s nulls absent in the proto', () => {
    const job = toProtoJob(waiting());
    expect(job.error).toBeUndefined();
    expect(job.notice).toBeUndefined();
    expect(job.profile).toBeUndefined();
    expect(job.transcript!.model).toBeUndefined();
    expect(job.provenance!.stt).toBeUndefined();
    expect(job.timings!.completedAt).toBeUndefined();
    expect('digest' in fromProtoJob(toProtoJob(completed())).provenance.stt!).toBe(false);
  });

  it('turns the remaining time into whole seconds and never below zero', () => {
    const overdue = waiting();
    overdue.eta = { ...overdue.eta!, completeAt: '2026-05-01T09:59:00.000Z', low: '2026-05-01T09:59:00.000Z', remainingSec: 0 };
    expect(toSubmissionStatus(toJobView(overdue)).eta!.remainingSec).toBe(0);
  });

  it('refuses a value the contract does not allow, naming the field', () => {
    const view = toJobView(waiting());
    view.job!.stage = 'paint';
    expect(() => toSubmissionStatus(view)).toThrow(StatusMappingError);
    expect(() => toSubmissionStatus(view)).toThrow(/job.stage = "paint"/);
    const code = toJobView(waiting());
    code.waitingFor!.code = 'sleeping';
    expect(() => toSubmissionStatus(code)).toThrow(/waitingFor.code = "sleeping"/);
    expect(() => toSubmissionStatus({ job: undefined, positions: [], waitingFor: undefined, eta: undefined })).toThrow(/view.job/);
  });
});
