import { randomUUID } from 'node:crypto';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { NatsConnection } from '@nats-io/transport-node';
import { loadConfig } from '@introeval/config';
import { ErrorCode, newJobRecord, type JobRecord } from '@introeval/contracts';
import { OPENAI_STT_VERSION } from '@introeval/engines';
import { rulesBrain } from '@introeval/engines/stand-in-brain';
import { ensureTopology, JetStreamPublisher } from '@introeval/messaging';
import { JobLifecycle, waitingNotice } from '@introeval/pipeline';
import { connectNats } from '@introeval/nats';
import { JobStore, MediaStore, openBuckets } from '@introeval/storage';
import {
  freePort,
  LAB_8GB_MODELS,
  LAB_8GB_VRAM_MB,
  speechWav,
  startGpuNode,
  startNatsServer,
  type GpuNodeHandle,
  type NatsServerHandle,
  type SpeechText,
} from '@introeval/testing';
import { buildSpeechToTextEngine } from './stt-engine.provider.js';
import { TranscriptionConfig } from './transcription.config.js';
import { TranscriptionService } from './transcription.service.js';

// The transcription stage as configured by its environment, against the GPU-node stand-in's speaches API (whose
// brain is real pocketsphinx), with the audio in a real object store and the job record in real KV.

const WHISPER = LAB_8GB_MODELS.find((m) => m.group === 'stt')!;
/** Simulated seconds per real second: the 8 s load and 10 s transcription take milliseconds. */
const TIME_SCALE = 1000;

/** About 12 s of flite speech: real word timings, quick for pocketsphinx. */
const SPEECH: SpeechText = {
  id: 'stt-stage',
  text:
    'Good morning everyone. I am a final year student of computer science at the state university. ' +
    'I enjoy machine learning, and my goal is to become a data scientist. Thank you.',
};

describe('TranscriptionService with STT_ENGINE=openai', () => {
  let nats: NatsServerHandle;
  let nc: NatsConnection;
  let jobs: JobStore;
  let media: MediaStore;
  let lifecycle: JobLifecycle;
  let node: GpuNodeHandle;
  let dir: string;
  let wav: string;

  /** The stage as the module builds it from `env`. */
  function serviceFor(env: Record<string, string>): TranscriptionService {
    const config = loadConfig(TranscriptionConfig, {
      STT_ENGINE: 'openai',
      STT_MODEL: WHISPER.name,
      STT_RETRY_BACKOFF_MS: '10',
      WORK_DIR: join(dir, 'work'),
      ...env,
    });
    return new TranscriptionService(config, lifecycle, media, buildSpeechToTextEngine(config));
  }

  /** A media job whose audio the upload stage has extracted. */
  async function jobToTranscribe(): Promise<string> {
    const id = randomUUID();
    const audioObject = `${id}/audio.wav`;
    await media.putFile(audioObject, wav);
    const info = { object: `${id}/source`, fileName: 'intro.wav', contentType: 'audio/wav', sizeBytes: (await stat(wav)).size };
    const fresh = newJobRecord({
      id,
      source: 'media',
      studentId: null,
      media: { ...info, audioObject, durationSec: 12 },
      transcript: null,
      traceparent: null,
      now: new Date(),
    });
    await jobs.create({ ...fresh, stage: 'transcribe' });
    return id;
  }

  const record = async (id: string): Promise<JobRecord> => (await jobs.get(id))!;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'transcription-spec-'));
    wav = await speechWav(SPEECH, 'slt', dir);
    nats = await startNatsServer();
    nc = await connectNats(nats.url, 'transcription-spec');
    await ensureTopology(nc);
    const buckets = await openBuckets(nc);
    jobs = new JobStore(buckets.jobs);
    media = new MediaStore(buckets.media);
    lifecycle = new JobLifecycle(jobs, new JetStreamPublisher(nc));
    node = await startGpuNode({ vramMb: LAB_8GB_VRAM_MB, models: [WHISPER], timeScale: TIME_SCALE, brain: rulesBrain() });
  });
  afterAll(async () => {
    await node?.close();
    await nc?.close();
    await nats?.dispose();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('transcribes on the Whisper server with word timings, stamping the lease epoch on the call and the record', async () => {
    const id = await jobToTranscribe();
    await serviceFor({ STT_URL: node.speachesUrl }).process(id, { epoch: 5 });

    const job = await record(id);
    expect(job).toMatchObject({ status: 'queued', stage: 'extract', notice: null });
    const transcript = job.transcript!;
    expect(transcript).toMatchObject({ engine: 'openai', model: WHISPER.name });
    expect(transcript.text).toContain('computer science');
    expect(transcript.words.length).toBeGreaterThan(15);
    for (const word of transcript.words) expect(word.end).toBeGreaterThanOrEqual(word.start);
    expect(transcript.durationSec).toBeGreaterThan(8);
    expect(job.provenance.stt).toEqual({ engine: 'openai', model: WHISPER.name, version: OPENAI_STT_VERSION });
    expect(job.stages.transcribe).toMatchObject({ attempts: 1, leaseEpoch: 5 });
    expect(node.busyIntervals().filter((b) => b.group === 'stt').map((b) => b.epoch)).toEqual([5]);
  });

  it('waits for an unreachable Whisper server with the reason in the record (no fallback for speech to text)', async () => {
    const id = await jobToTranscribe();
    const closedUrl = `http://127.0.0.1:${await freePort()}`;
    await expect(serviceFor({ STT_URL: closedUrl }).process(id, { epoch: 6 })).rejects.toMatchObject({
      code: ErrorCode.EngineUnavailable,
      permanent: false,
    });
    const job = await record(id);
    expect(job).toMatchObject({ status: 'processing', stage: 'transcribe', transcript: null, error: null });
    expect(job.notice).toBe(waitingNotice('transcribe'));
    expect(job.errorDetail).toMatch(/^openai-stt POST \/v1\/audio\/transcriptions: cannot reach .*ECONNREFUSED/);
  });
});
