import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { NatsConnection } from '@nats-io/transport-node';
import { loadConfig } from '@introeval/config';
import { ErrorCode, newJobRecord, type JobRecord } from '@introeval/contracts';
import { EXTRACTION_PROMPT_VERSION, extractProfile, RULES_EXTRACTION_VERSION } from '@introeval/engines';
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
import { buildExtractionEngine } from './extraction-engine.provider.js';
import { ExtractionConfig } from './extraction.config.js';
import { ExtractionService } from './extraction.service.js';

// The extraction stage as configured by its environment, against the GPU-node stand-in's Ollama API (rules brain)
// and a real nats-server holding the job records.

const EXTRACTOR = LAB_8GB_MODELS.find((m) => m.group === 'extract')!;
/** Simulated seconds per real second: the 8 s load and 15 s extraction take milliseconds. */
const TIME_SCALE = 1000;

describe('ExtractionService with EXTRACT_ENGINE=ollama', () => {
  let nats: NatsServerHandle;
  let nc: NatsConnection;
  let jobs: JobStore;
  let lifecycle: JobLifecycle;
  let node: GpuNodeHandle;
  let closedUrl: string;

  /** The stage as the module builds it from `env`. */
  function serviceFor(env: Record<string, string>): ExtractionService {
    const config = loadConfig(ExtractionConfig, { EXTRACT_ENGINE: 'ollama', OLLAMA_RETRY_BACKOFF_MS: '10', ...env });
    return new ExtractionService(lifecycle, buildExtractionEngine(config));
  }

  async function textJob(): Promise<string> {
    const id = randomUUID();
    const transcript = { text: STRONG_INTRO.text, words: [], engine: 'text', model: null, durationSec: null };
    await jobs.create(newJobRecord({ id, source: 'text', studentId: null, media: null, transcript, traceparent: null, now: new Date() }));
    return id;
  }

  const record = async (id: string): Promise<JobRecord> => (await jobs.get(id))!;

  beforeAll(async () => {
    nats = await startNatsServer();
    nc = await connectNats(nats.url, 'extraction-spec');
    await ensureTopology(nc);
    jobs = new JobStore((await openBuckets(nc)).jobs);
    lifecycle = new JobLifecycle(jobs, new JetStreamPublisher(nc));
    node = await startGpuNode({ vramMb: LAB_8GB_VRAM_MB, models: [EXTRACTOR], timeScale: TIME_SCALE, brain: rulesBrain() });
    closedUrl = `http://127.0.0.1:${await freePort()}`;
  });
  afterAll(async () => {
    await node?.close();
    await nc?.close();
    await nats?.dispose();
  });

  it('extracts with the model, stamps the lease epoch on the call and the record, and records the call\'s provenance', async () => {
    const id = await textJob();
    await serviceFor({ OLLAMA_URL: node.ollamaUrl }).process(id, { epoch: 7 });

    const job = await record(id);
    expect(job).toMatchObject({ status: 'queued', stage: 'rate', notice: null });
    // The stand-in's brain answers with the rules engine: the model's profile is what the rules read.
    expect(job.profile).toEqual(extractProfile(STRONG_INTRO.text));
    expect(job.provenance.extract).toEqual({
      engine: 'ollama',
      model: EXTRACTOR.name,
      version: expect.stringMatching(new RegExp(`^${EXTRACTION_PROMPT_VERSION}@sha256:[0-9a-f]{12}$`)),
      digest: expect.stringMatching(/^sha256:[0-9a-f]{64}$/),
      promptTokens: expect.any(Number),
      evalTokens: expect.any(Number),
      loadMs: expect.any(Number),
    });
    expect(job.provenance.extract!.promptTokens).toBeGreaterThan(0);
    // The first call found the model unloaded: its load time is this job's.
    expect(job.provenance.extract!.loadMs).toBeGreaterThan(0);
    expect(job.stages.extract).toMatchObject({ attempts: 1, leaseEpoch: 7 });
    expect(node.busyIntervals().filter((b) => b.group === 'extract').map((b) => b.epoch)).toEqual([7]);
  });

  it('sends no epoch header when the stage is not gated on a lease', async () => {
    const id = await textJob();
    await serviceFor({ OLLAMA_URL: node.ollamaUrl }).process(id);
    expect((await record(id)).stages.extract!.leaseEpoch).toBeNull();
    expect(node.busyIntervals().at(-1)).toMatchObject({ group: 'extract', epoch: null });
  });

  it('without a fallback, waits for an unreachable Ollama with the reason in the record, and goes on once it is back', async () => {
    const port = Number(new URL(closedUrl).port);
    const service = serviceFor({ OLLAMA_URL: closedUrl });
    const id = await textJob();

    await expect(service.process(id, { epoch: 2 })).rejects.toMatchObject({ code: ErrorCode.EngineUnavailable, permanent: false });
    const waiting = await record(id);
    expect(waiting).toMatchObject({ status: 'processing', stage: 'extract', profile: null, error: null });
    expect(waiting.notice).toBe(waitingNotice('extract'));
    expect(waiting.errorDetail).toMatch(/^ollama POST \/api\/chat: cannot reach http:\/\/127\.0\.0\.1:\d+: ECONNREFUSED \(2 attempts\)$/);

    // The transport redelivers the message later; by then the GPU node is up at the configured address.
    const revived = await startGpuNode({
      vramMb: LAB_8GB_VRAM_MB,
      models: [EXTRACTOR],
      timeScale: TIME_SCALE,
      brain: rulesBrain(),
      ollamaPort: port,
    });
    try {
      await service.process(id, { epoch: 3 });
    } finally {
      await revived.close();
    }
    const done = await record(id);
    expect(done).toMatchObject({ status: 'queued', stage: 'rate', notice: null, errorDetail: null });
    expect(done.provenance.extract!.engine).toBe('ollama');
    expect(done.stages.extract).toMatchObject({ attempts: 2, leaseEpoch: 3 });
  });

  it('with EXTRACT_FALLBACK=rules, lets the rules engine answer when Ollama cannot be reached, and says so', async () => {
    const id = await textJob();
    await serviceFor({ OLLAMA_URL: closedUrl, EXTRACT_FALLBACK: 'rules' }).process(id, { epoch: 4 });

    const job = await record(id);
    expect(job).toMatchObject({ status: 'queued', stage: 'rate', errorDetail: null });
    expect(job.profile).toEqual(extractProfile(STRONG_INTRO.text));
    expect(job.provenance.extract).toEqual({ engine: 'rules', model: null, version: RULES_EXTRACTION_VERSION, fallbackFrom: 'ollama' });
    expect(job.notice).toBe(
      'Your profile was read by the fallback rules engine, because the ollama profile extraction engine could not be reached.',
    );
  });
});
