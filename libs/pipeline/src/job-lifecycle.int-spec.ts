import { randomUUID } from 'node:crypto';
import { ErrorCode, IntroEvalError, newJobRecord, Streams, Subjects, type JobRecord } from '@introeval/contracts';
import { ensureTopology, JetStreamPublisher } from '@introeval/messaging';
import { connectNats } from '@introeval/nats';
import { JobStore, openBuckets } from '@introeval/storage';
import { startNatsServer, type NatsServerHandle } from '@introeval/testing';
import { jetstreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { EXHAUSTED_MESSAGE, JobLifecycle } from './job-lifecycle.js';
import { waitingNotice } from './job-notices.js';

describe('JobLifecycle on a real nats-server', () => {
  let server: NatsServerHandle;
  let nc: NatsConnection;
  let jobs: JobStore;
  let lifecycle: JobLifecycle;

  /** Messages stored on `subject` for this job (the work stream keeps them: no consumer takes them here). */
  async function stored(subject: string, jobId: string): Promise<number> {
    const jsm = await jetstreamManager(nc);
    const stream = subject.startsWith('introeval.event') ? Streams.events : Streams.work;
    const info = await jsm.streams.info(stream, { subjects_filter: subject });
    if (!info.state.subjects?.[subject]) return 0;
    let count = 0;
    for (let seq = info.state.first_seq; seq <= info.state.last_seq; seq++) {
      const message = await jsm.streams.getMessage(stream, { seq }).catch(() => null);
      if (message?.subject === subject && message.json<{ jobId: string }>().jobId === jobId) count++;
    }
    return count;
  }

  async function newJob(source: JobRecord['source'] = 'text'): Promise<string> {
    const id = randomUUID();
    const transcript = { text: 'hello', words: [], engine: 'text', model: null, durationSec: null };
    await jobs.create(newJobRecord({ id, source, studentId: null, media: null, transcript, traceparent: null, now: new Date() }));
    return id;
  }

  beforeAll(async () => {
    server = await startNatsServer();
    nc = await connectNats(server.url, 'lifecycle-spec');
    await ensureTopology(nc);
    jobs = new JobStore((await openBuckets(nc)).jobs);
    lifecycle = new JobLifecycle(jobs, new JetStreamPublisher(nc));
  });
  afterAll(async () => {
    await nc.close();
    await server.dispose();
  });

  it('does a stage once: a redelivered message only forwards the job again, de-duplicated', async () => {
    const id = await newJob();
    let calls = 0;
    const work = async () => {
      calls++;
      return { profile: null, provenance: { extract: { engine: 'rules', model: null, version: 'x' } } };
    };
    await lifecycle.runStage('extract', id, work);
    await lifecycle.runStage('extract', id, work);
    expect(calls).toBe(1);
    const record = (await jobs.get(id))!;
    expect(record.stage).toBe('rate');
    expect(record.status).toBe('queued');
    expect(record.stages.extract!.attempts).toBe(1);
    expect(record.provenance.extract?.engine).toBe('rules');
    expect(await stored(Subjects.rate, id)).toBe(1);
  });

  it('completes on the last stage and announces it once', async () => {
    const id = await newJob();
    await lifecycle.runStage('rate', id, async () => ({ feedback: ['ok'] }));
    await lifecycle.runStage('rate', id, async () => ({ feedback: ['again'] }));
    const record = (await jobs.get(id))!;
    expect(record.status).toBe('completed');
    expect(record.completedAt).not.toBeNull();
    expect(record.feedback).toEqual(['ok']);
    expect(await stored(Subjects.completed(id), id)).toBe(1);
  });

  it('counts an attempt per try and keeps the output of the one that finished', async () => {
    const id = await newJob();
    await expect(lifecycle.runStage('extract', id, () => Promise.reject(new Error('engine down')))).rejects.toThrow('engine down');
    expect((await jobs.get(id))!.status).toBe('processing');
    await lifecycle.runStage('extract', id, async () => ({ feedback: ['second try'] }));
    const record = (await jobs.get(id))!;
    expect(record.stages.extract!.attempts).toBe(2);
    expect(record.feedback).toEqual(['second try']);
  });

  it('fails a job once, keeps the first error, and never turns a completed job into a failure', async () => {
    const id = await newJob();
    await lifecycle.fail({ stage: 'extract', jobId: id, code: ErrorCode.StageExhausted, message: 'first' });
    await lifecycle.fail({ stage: 'rate', jobId: id, code: ErrorCode.Internal, message: 'second' });
    const failed = (await jobs.get(id))!;
    expect(failed.status).toBe('failed');
    expect(failed.error).toEqual({ code: 'STAGE_EXHAUSTED', message: EXHAUSTED_MESSAGE });
    expect(failed.errorDetail).toBe('first');
    expect(await stored(Subjects.failed(id), id)).toBe(1);

    let calls = 0;
    await lifecycle.runStage('extract', id, async () => {
      calls++;
      return {};
    });
    expect(calls).toBe(0);

    const done = await newJob();
    await lifecycle.runStage('rate', done, async () => ({}));
    await lifecycle.fail({ stage: 'rate', jobId: done, code: ErrorCode.Internal, message: 'late' });
    expect((await jobs.get(done))!.status).toBe('completed');
  });

  it('ignores a late failure report about a stage that has since finished', async () => {
    const id = await newJob();
    await lifecycle.runStage('extract', id, async () => ({}));
    await lifecycle.fail({ stage: 'extract', jobId: id, code: ErrorCode.StageExhausted, message: 'stale advisory' });
    const record = (await jobs.get(id))!;
    expect(record.status).toBe('queued');
    expect(record.stage).toBe('rate');
    expect(await stored(Subjects.failed(id), id)).toBe(0);
  });

  it('shows the student a plain message when a stage gives up, and keeps the detail for operators', async () => {
    const id = await newJob();
    await lifecycle.fail({ stage: 'extract', jobId: id, code: ErrorCode.StageExhausted, message: 'ECONNREFUSED 10.0.0.7:11434' });
    const record = (await jobs.get(id))!;
    expect(record.error).toEqual({ code: 'STAGE_EXHAUSTED', message: EXHAUSTED_MESSAGE });
    expect(record.errorDetail).toBe('ECONNREFUSED 10.0.0.7:11434');
  });

  it('records the lease epoch of the attempt that ran, and null for a stage not gated on the lease', async () => {
    const id = await newJob();
    await expect(lifecycle.runStage('extract', id, () => Promise.reject(new Error('crash')), { epoch: 4 })).rejects.toThrow('crash');
    expect((await jobs.get(id))!.stages.extract).toMatchObject({ attempts: 1, leaseEpoch: 4, finishedAt: null });
    await lifecycle.runStage('extract', id, async () => ({}), { epoch: 5 });
    await lifecycle.runStage('rate', id, async () => ({}));
    const record = (await jobs.get(id))!;
    expect(record.stages.extract).toMatchObject({ attempts: 2, leaseEpoch: 5 });
    expect(record.stages.rate!.leaseEpoch).toBeNull();
  });

  it('shows why a job waits while its engine is unreachable, and clears it when the stage succeeds', async () => {
    const id = await newJob();
    const unreachable = new IntroEvalError(ErrorCode.EngineUnavailable, 'ollama POST /api/chat: cannot reach http://10.0.0.7:11434: ECONNREFUSED', false);
    await expect(lifecycle.runStage('extract', id, () => Promise.reject(unreachable))).rejects.toBe(unreachable);
    const waiting = (await jobs.get(id))!;
    expect(waiting.status).toBe('processing');
    expect(waiting.notice).toBe(waitingNotice('extract'));
    expect(waiting.notice).toMatch(/^Waiting for the profile extraction engine, .* retried automatically\.$/);
    expect(waiting.errorDetail).toBe(unreachable.message);

    // Other errors leave the record as it is.
    await expect(lifecycle.runStage('extract', id, () => Promise.reject(new Error('bug')))).rejects.toThrow('bug');
    expect((await jobs.get(id))!.notice).toBe(waitingNotice('extract'));

    await lifecycle.runStage('extract', id, async () => ({ provenance: { extract: { engine: 'ollama', model: 'm', version: 'v' } } }));
    const done = (await jobs.get(id))!;
    expect(done.notice).toBeNull();
    expect(done.errorDetail).toBeNull();
  });

  it('says which parts a fallback engine produced, up to the result', async () => {
    const id = await newJob();
    const fallback = { engine: 'rules', model: null, version: 'rules-extract', fallbackFrom: 'ollama' };
    await lifecycle.runStage('extract', id, async () => ({ provenance: { extract: fallback } }));
    const note = 'Your profile was read by the fallback rules engine, because the ollama profile extraction engine could not be reached.';
    expect((await jobs.get(id))!.notice).toBe(note);
    await lifecycle.runStage('rate', id, async () => ({ provenance: { rate: { engine: 'ollama', model: 'llama3', version: 'v' } } }));
    const record = (await jobs.get(id))!;
    expect(record.status).toBe('completed');
    expect(record.notice).toBe(note);
  });

  it('drops the waiting notice when the job fails', async () => {
    const id = await newJob();
    const unreachable = new IntroEvalError(ErrorCode.EngineUnavailable, 'gone', false);
    await expect(lifecycle.runStage('rate', id, () => Promise.reject(unreachable))).rejects.toBe(unreachable);
    await lifecycle.fail({ stage: 'rate', jobId: id, code: ErrorCode.StageExhausted, message: 'gone' });
    const record = (await jobs.get(id))!;
    expect(record.status).toBe('failed');
    expect(record.notice).toBeNull();
  });

  it('names a job that does not exist', async () => {
    const id = randomUUID();
    await expect(lifecycle.runStage('extract', id, async () => ({}))).rejects.toThrow(id);
    await expect(lifecycle.fail({ stage: 'extract', jobId: id, code: ErrorCode.Internal, message: 'x' })).resolves.toBeUndefined();
  });
});
