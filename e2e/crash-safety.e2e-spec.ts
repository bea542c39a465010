import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Buckets, Streams, Subjects, type JobRecord } from '@introeval/contracts';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { jetstream } from '@nats-io/jetstream';
import { Kvm } from '@nats-io/kv';
import {
  eventually,
  INTRO_SCRIPTS,
  mp4FromWav,
  speechWav,
  startNatsServer,
  startSystem,
  type NatsServerHandle,
  type SystemHandle,
} from '@introeval/testing';
import { getResult, postFile, waitForEnd, type Accepted } from './support.js';

/** Every completion event on the events stream for this job. */
async function completionEvents(nc: NatsConnection, jobId: string): Promise<number> {
  // No subject filter: nats-server 2.9 has no filter_subjects, and the events stream is small in a test.
  const consumer = await jetstream(nc).consumers.get(Streams.events);
  let count = 0;
  const messages = await consumer.fetch({ max_messages: 1000, expires: 1000 });
  for await (const message of messages) {
    if (message.subject === Subjects.completed && message.json<{ jobId: string }>().jobId === jobId) count++;
    if (message.info.pending === 0) break;
  }
  return count;
}

describe('crash safety', () => {
  let nats: NatsServerHandle;
  let system: SystemHandle;
  let nc: NatsConnection;
  let dir: string;
  let mp4: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'e2e-crash-'));
    nats = await startNatsServer();
    // A short ack_wait so that the killed worker's message comes back within seconds.
    system = await startSystem({ natsUrl: nats.url, env: { ACK_WAIT_MS: '3000' } });
    nc = await connect({ servers: nats.url });
    mp4 = await mp4FromWav(await speechWav(INTRO_SCRIPTS[1], 'rms', dir), dir);
  });
  afterAll(async () => {
    await nc?.close();
    await system?.stop();
    await nats?.dispose();
    await rm(dir, { recursive: true, force: true });
  });

  it('completes a job exactly once after its transcription worker is killed with -9 mid-job', async () => {
    const { body } = await postFile(system.url, mp4);
    const accepted = body as Accepted;
    await eventually(
      async () => {
        const result = await getResult(system.url, accepted);
        return result.stage === 'transcribe' && result.status === 'processing';
      },
      { timeoutMs: 30_000, intervalMs: 20, what: 'transcription to start' },
    );
    await system.kill('transcription', 'SIGKILL');
    await system.start('transcription');

    const result = await waitForEnd(system.url, accepted);
    expect(result.status).toBe('completed');
    expect(result.error).toBeNull();

    const kv = await new Kvm(nc).open(Buckets.jobs);
    const record = (await kv.get(accepted.id))!.json<JobRecord>();
    expect(record.stages.transcribe!.attempts).toBe(2);
    expect(record.stages.rate!.attempts).toBe(1);
    // Give a duplicate (if any) time to appear before counting.
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(await completionEvents(nc, accepted.id)).toBe(1);
  });

  it('gives one job for the same file submitted twice with the same idempotency key', async () => {
    const headers = { 'idempotency-key': `intro-${Date.now()}` };
    const [first, second] = await Promise.all([postFile(system.url, mp4, headers), postFile(system.url, mp4, headers)]);
    const third = await postFile(system.url, mp4, headers);
    expect(first.status).toBe(202);
    expect(second.body.id).toBe(first.body.id);
    expect(third.body.id).toBe(first.body.id);
    expect(third.body.receipt).toBe(first.body.receipt);
    const result = await waitForEnd(system.url, first.body);
    expect(result.status).toBe('completed');
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(await completionEvents(nc, result.id)).toBe(1);
  });
});
