import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Streams, Subjects } from '@introeval/contracts';
import {
  cannedIntroductionBrain,
  findOverlaps,
  LAB_8GB_BATCHED_MODELS,
  LAB_8GB_VRAM_MB,
  nodeFileEntry,
  seededRandom,
  speechWav,
  startGpuNode,
  type GpuNodeHandle,
} from '@introeval/testing';
import { useSystem } from './environment.js';
import { postFile, postText, waitForEnd, type Accepted } from './support.js';

// The GPU phase lease with the real processes: gated workers, the scheduler, the gateway, NATS and an 8 GB GPU-node
// stand-in. Workers, the scheduler leader and the NATS server are killed while a seeded workload runs; the card must
// never hold two groups at once, never refuse a load, and every job must complete exactly once.

const TIME_SCALE = 50;
const model = (group: string) => LAB_8GB_BATCHED_MODELS.find((m) => m.group === group)!;
const TEXT =
  'Hello, my name is Ravi Kumar. I am a final year B.Tech student in computer science at Anna University, graduating ' +
  'in 2026. I know Python and SQL, I built a library management system, and I want to become a data engineer.';

/** Answers fixed in advance: the latency model alone costs time. */
const brain = () =>
  cannedIntroductionBrain({
    text: TEXT,
    profile: {
      name: 'Ravi Kumar', degree: 'B.Tech', major: 'Computer Science', institution: 'Anna University',
      graduationYear: 2026, yearOfStudy: 4, skills: ['Python', 'SQL'], projects: ['library management system'],
      experience: [], achievements: [], hobbies: [], careerGoal: 'data engineer', strengths: [],
    },
    judgement: { justification: 'Clear and complete, with one project.', score: 4 },
  });

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('the GPU phase lease with real processes killed under load', () => {
  let gpu: GpuNodeHandle;
  let nodesFile: string;
  beforeAll(async () => {
    gpu = await startGpuNode({
      vramMb: LAB_8GB_VRAM_MB,
      models: LAB_8GB_BATCHED_MODELS,
      timeScale: TIME_SCALE,
      brain: brain(),
      // As deployed under a scheduler: nothing unloads by itself in the middle of a granted phase.
      ollamaKeepAliveSec: -1,
      speachesTtlSec: -1,
    });
    nodesFile = join(process.env.TMPDIR ?? '/tmp', `gpu-lease-e2e-${process.pid}.json`);
    const node = nodeFileEntry('gpu-0', gpu, LAB_8GB_BATCHED_MODELS, { vramMb: LAB_8GB_VRAM_MB, timeScale: TIME_SCALE });
    await writeFile(nodesFile, JSON.stringify({ nodes: [node] }));
  });
  const env = useSystem(() => ({
    GPU_NODE: 'gpu-0',
    GPU_NODES_FILE: nodesFile,
    SCHEDULER_TICK_MS: '20',
    LEASE_HEARTBEAT_MS: '200',
    LEADER_TTL_MS: '1500',
    ACK_WAIT_MS: '3000',
    BACKOFF_MS: '200,500,1000',
    MAX_DELIVER: '20',
    STT_ENGINE: 'openai',
    STT_URL: gpu.speachesUrl,
    STT_MODEL: model('stt').name,
    STT_CONCURRENCY: String(model('stt').maxConcurrency),
    EXTRACT_ENGINE: 'ollama',
    EXTRACT_MODEL: model('extract').name,
    EXTRACT_CONCURRENCY: String(model('extract').maxConcurrency),
    RATE_ENGINE: 'ollama',
    RATE_MODEL: model('rate').name,
    RATE_CONCURRENCY: String(model('rate').maxConcurrency),
    OLLAMA_URL: gpu.ollamaUrl,
    OLLAMA_KEEP_ALIVE: '-1',
  }));
  afterAll(() => gpu?.close());

  // Each seed shuffles which process dies when, between bursts of submissions (media and text mixed).
  it.each([7, 11])('seed %i: never overlaps groups or overfills the card, and completes every job once, through kill -9 and a NATS restart', async (seed) => {
    const random = seededRandom(seed);
    const clip = await speechWav({ id: 'lease-e2e', text: TEXT }, 'slt', env.dir);
    const submitted: Accepted[] = [];
    const submit = async (count: number) => {
      for (let i = 0; i < count; i++) {
        const media = random() < 0.5;
        const post = () => (media ? postFile(env.system.url, clip) : postText(env.system.url, TEXT)).catch(() => null);
        let answer = await post();
        // Right after a NATS restart the gateway answers 503 + Retry-After (or a pooled connection it cut resets), and
        // a client tries again, as the CLI does.
        for (let retry = 0; (answer === null || answer.status === 503) && retry < 20; retry++) {
          await sleep(250);
          answer = await post();
        }
        expect(answer?.status).toBe(202);
        submitted.push(answer!.body);
        await sleep(random() * 150);
      }
    };
    const faults = {
      // A killed worker's calls are cut off; its messages come back after ack_wait.
      transcription: () => crash('transcription'),
      extraction: () => crash('extraction'),
      rating: () => crash('rating'),
      // The restarted scheduler takes the lead once the dead one's key expires, and finishes any switch it left.
      scheduler: () => crash('scheduler'),
      nats: async () => {
        await env.nats.stop();
        await sleep(300 + random() * 400);
        await env.nats.start();
      },
    };
    const crash = async (service: 'transcription' | 'extraction' | 'rating' | 'scheduler') => {
      await env.system.kill(service, 'SIGKILL');
      await sleep(100 + random() * 300);
      await env.system.start(service);
    };
    const order = (Object.keys(faults) as (keyof typeof faults)[])
      .map((name) => ({ name, key: random() }))
      .sort((a, b) => a.key - b.key)
      .map((f) => f.name);

    const before = gpu.busyIntervals().length;
    await submit(4);
    for (const fault of order) {
      await faults[fault]();
      await submit(2 + Math.floor(random() * 3));
    }

    for (const job of submitted) {
      const result = await waitForEnd(env.system.url, job, 150_000);
      expect({ id: job.id, status: result.status, error: result.error }).toEqual({ id: job.id, status: 'completed', error: null });
    }

    // Exactly once: one completion event per job, none for a job twice, and no failure events.
    const nc = await connect({ servers: env.nats.url });
    try {
      const jsm = await jetstreamManager(nc);
      const info = await jsm.streams.info(Streams.events, { subjects_filter: 'introeval.event.>' });
      const subjects = info.state.subjects ?? {};
      for (const job of submitted) expect(subjects[Subjects.completed(job.id)]).toBe(1);
      expect(Object.keys(subjects).filter((s) => s.startsWith('introeval.event.failed.'))).toEqual([]);
    } finally {
      await nc.close();
    }

    // The card: no two groups at once, no load refused, every call stamped with an epoch that served one group.
    expect(findOverlaps(gpu, LAB_8GB_VRAM_MB)).toEqual([]);
    expect(gpu.oomErrors()).toBe(0);
    const served = gpu.busyIntervals().slice(before).filter((b) => !b.cancelled);
    expect(served.length).toBeGreaterThanOrEqual(submitted.length * 2);
    const groupOfEpoch = new Map<number, Set<string>>();
    for (const call of served) {
      expect(call.epoch).not.toBeNull();
      groupOfEpoch.set(call.epoch!, (groupOfEpoch.get(call.epoch!) ?? new Set()).add(call.group));
    }
    for (const [epoch, groups] of groupOfEpoch) expect({ epoch, groups: [...groups] }).toEqual({ epoch, groups: [...groups].slice(0, 1) });
  });
});
