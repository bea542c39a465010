import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { jetstreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { loadConfig } from '@introeval/config';
import { ErrorCode, newJobRecord, Streams, Subjects, type JobRecord } from '@introeval/contracts';
import { defaultRubric, extractProfile, RATING_PROMPT_VERSION, RulesRatingEngine } from '@introeval/engines';
import { rulesBrain } from '@introeval/engines/stand-in-brain';
import { ensureTopology, JetStreamPublisher } from '@introeval/messaging';
import { JobLifecycle, waitingNotice } from '@introeval/pipeline';
import { connectNats } from '@introeval/nats';
import { JobStore, openBuckets } from '@introeval/storage';
import {
  freePort,
  LAB_8GB_MODELS,
  LAB_8GB_VRAM_MB,
  startGpuNode,
  startNatsServer,
  STRONG_INTRO,
  type GpuNodeHandle,
  type NatsServerHandle,
} from '@introeval/testing';
import { buildRatingEngine } from './rating-engine.provider.js';
import { RatingConfig } from './rating.config.js';
import { RatingService } from './rating.service.js';

// The rating stage as configured by its environment, against the GPU-node stand-in's Ollama API (rules brain) and
// a real nats-server holding the job records.

const RATER = LAB_8GB_MODELS.find((m) => m.group === 'rate')!;
/** Simulated seconds per real second: the 8 s load and 25 s rating take milliseconds. */
const TIME_SCALE = 1000;
const RUBRIC_VERSION = defaultRubric().version;

describe('RatingService with RATE_ENGINE=ollama', () => {
  let nats: NatsServerHandle;
  let nc: NatsConnection;
  let jobs: JobStore;
  let lifecycle: JobLifecycle;
  let node: GpuNodeHandle;
  let closedUrl: string;

  /** The stage as the module builds it from `env`. */
  function serviceFor(env: Record<string, string>): RatingService {
    const config = loadConfig(RatingConfig, { RATE_ENGINE: 'ollama', OLLAMA_RETRY_BACKOFF_MS: '10', ...env });
    return new RatingService(lifecycle, buildRatingEngine(config, defaultRubric()));
  }

  /** A text job whose profile was read: waiting for rating. */
  async function jobToRate(): Promise<string> {
    const id = randomUUID();
    const transcript = { text: STRONG_INTRO.text, words: [], engine: 'text', model: null, durationSec: null };
    const fresh = newJobRecord({ id, source: 'text', studentId: null, media: null, transcript, traceparent: null, now: new Date() });
    await jobs.create({ ...fresh, stage: 'rate', profile: extractProfile(STRONG_INTRO.text) });
    return id;
  }

  const record = async (id: string): Promise<JobRecord> => (await jobs.get(id))!;

  beforeAll(async () => {
    nats = await startNatsServer();
    nc = await connectNats(nats.url, 'rating-spec');
    await ensureTopology(nc);
    jobs = new JobStore((await openBuckets(nc)).jobs);
    lifecycle = new JobLifecycle(jobs, new JetStreamPublisher(nc));
    node = await startGpuNode({ vramMb: LAB_8GB_VRAM_MB, models: [RATER], timeScale: TIME_SCALE, brain: rulesBrain() });
    closedUrl = `http://127.0.0.1:${await freePort()}`;
  });
  afterAll(async () => {
    await node?.close();
    await nc?.close();
    await nats?.dispose();
  });

  it('rates with the model, stamps the lease epoch on the call and the record, and records the call\'s provenance', async () => {
    const id = await jobToRate();
    await serviceFor({ OLLAMA_URL: node.ollamaUrl, RATE_MODEL: RATER.name }).process(id, { epoch: 11 });

    const job = await record(id);
    expect(job).toMatchObject({ status: 'completed', notice: null, error: null });
    expect(job.scores!.total).toBeGreaterThanOrEqual(80);
    expect(job.feedback.length).toBeGreaterThan(0);
    expect(job.metrics).not.toBeNull();
    expect(job.provenance.rate).toEqual({
      engine: 'ollama',
      model: RATER.name,
      version: expect.stringMatching(new RegExp(`^${RUBRIC_VERSION}\\+${RATING_PROMPT_VERSION}@sha256:[0-9a-f]{12}$`)),
      digest: expect.stringMatching(/^sha256:[0-9a-f]{64}$/),
      promptTokens: expect.any(Number),
      evalTokens: expect.any(Number),
      loadMs: expect.any(Number),
    });
    expect(job.provenance.rate!.evalTokens).toBeGreaterThan(0);
    expect(job.stages.rate).toMatchObject({ attempts: 1, leaseEpoch: 11 });
    expect(node.busyIntervals().filter((b) => b.group === 'rate').map((b) => b.epoch)).toEqual([11]);
  });

  it('without a fallback, fails the attempt with ENGINE_UNAVAILABLE and shows the job waiting', async () => {
    const id = await jobToRate();
    await expect(serviceFor({ OLLAMA_URL: closedUrl }).process(id, { epoch: 12 })).rejects.toMatchObject({
      code: ErrorCode.EngineUnavailable,
      permanent: false,
    });
    const job = await record(id);
    expect(job).toMatchObject({ status: 'processing', stage: 'rate', scores: null, error: null });
    expect(job.notice).toBe(waitingNotice('rate'));
    expect(job.errorDetail).toContain('ECONNREFUSED');
    expect(job.stages.rate).toMatchObject({ leaseEpoch: 12, finishedAt: null });
  });

  it('with RATE_FALLBACK=rules, completes with the rules engine on the same rubric, and says so', async () => {
    const id = await jobToRate();
    await serviceFor({ OLLAMA_URL: closedUrl, RATE_FALLBACK: 'rules' }).process(id);

    const job = await record(id);
    expect(job.status).toBe('completed');
    expect(job.provenance.rate).toEqual({ ...new RulesRatingEngine(defaultRubric()).provenance, fallbackFrom: 'ollama' });
    expect(job.notice).toBe('Your scores were given by the fallback rules engine, because the ollama rating engine could not be reached.');
    // The completion is announced as for any other job.
    const jsm = await jetstreamManager(nc);
    const info = await jsm.streams.info(Streams.events, { subjects_filter: Subjects.completed(id) });
    expect(info.state.subjects?.[Subjects.completed(id)]).toBe(1);
  });
});
