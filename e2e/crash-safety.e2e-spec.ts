import { execFile } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Streams, Subjects, type JobRecord } from '@introeval/contracts';
import { BucketNames } from '@introeval/nats';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { jetstream } from '@nats-io/jetstream';
import { Kvm } from '@nats-io/kv';
import {
  eventually,
  INTRO_SCRIPTS,
  mp4FromWav,
  speechWav,
  type NatsServerHandle,
  type SystemHandle,
} from '@introeval/testing';
import { useSystem } from './environment.js';
import { getResult, postFile, waitForEnd, type Accepted } from './support.js';

/** Every completion event on the events stream for this job, with the traceparent it carried. */
async function completionEvents(nc: NatsConnection, jobId: string): Promise<Array<string | undefined>> {
  // No subject filter: nats-server 2.9 has no filter_subjects, and the events stream is small in a test.
  const consumer = await jetstream(nc).consumers.get(Streams.events);
  const found: Array<string | undefined> = [];
  const messages = await consumer.fetch({ max_messages: 1000, expires: 1000 });
  for await (const message of messages) {
    if (message.subject === Subjects.completed(jobId)) {
      found.push(message.headers?.get('traceparent'));
    }
    if (message.info.pending === 0) break;
  }
  return found;
}

const run = promisify(execFile);

/** Running pocketsphinx processes, wherever they hang in the process tree (an orphan is re-parented to init). */
async function recognisers(): Promise<string[]> {
  const found: string[] = [];
  for (const pid of await readdir('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    const command = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '');
    if (command.startsWith('pocketsphinx_continuous')) found.push(pid);
  }
  return found;
}

const traceId = (traceparent: string | null | undefined) => traceparent?.split('-')[1];

describe('crash safety', () => {
  // A short ack_wait so that the killed worker's message comes back within seconds; a short drain so that a
  // stopped worker gives up on its job quickly.
  const env = useSystem({ ACK_WAIT_MS: '3000', DRAIN_TIMEOUT_MS: '1000' });
  let nats: NatsServerHandle;
  let system: SystemHandle;
  let nc: NatsConnection;
  let mp4: string;

  beforeAll(async () => {
    ({ nats, system } = env);
    nc = await connect({ servers: nats.url });
    mp4 = await mp4FromWav(await speechWav(INTRO_SCRIPTS[1], 'rms', env.dir), env.dir);
  });
  afterAll(async () => {
    await nc?.close();
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
    // The killed worker could not remove its scratch directory; the restarted one reaped it at boot.
    expect((await readdir(system.workDir)).filter((entry) => /\.pid\d+-/.test(entry))).toEqual([]);

    const kv = await new Kvm(nc).open(BucketNames.jobs);
    const record = (await kv.get(accepted.id))!.json<JobRecord>();
    expect(record.stages.transcribe!.attempts).toBe(2);
    expect(record.stages.rate!.attempts).toBe(1);
    // Give a duplicate (if any) time to appear before counting.
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const events = await completionEvents(nc, accepted.id);
    expect(events).toHaveLength(1);
    // One trace from the upload to the result, across five processes and a crash.
    expect(record.traceparent).toMatch(/^00-[0-9a-f]{32}-/);
    expect(traceId(events[0])).toBe(traceId(record.traceparent));
  });

  it('stops a job that outlasts the drain on SIGTERM, leaves no recogniser running, and completes it after restart', async () => {
    // ~3.5 minutes of speech: transcription takes long enough to be caught in the middle.
    const long = join(env.dir, 'long.wav');
    await run('ffmpeg', ['-v', 'error', '-y', '-stream_loop', '3', '-i', await speechWav(INTRO_SCRIPTS[1], 'rms', env.dir), '-c', 'copy', long]);
    const { body } = await postFile(system.url, await mp4FromWav(long, env.dir));
    const accepted = body as Accepted;
    await eventually(async () => (await recognisers()).length > 0, { timeoutMs: 30_000, what: 'pocketsphinx to start' });

    await system.kill('transcription', 'SIGTERM');
    expect(await recognisers()).toEqual([]);

    await system.start('transcription');
    const result = await waitForEnd(system.url, accepted);
    expect(result.status).toBe('completed');
    expect(result.transcript!.durationSec).toBeGreaterThan(180);
  });

  it('loses nothing when the NATS server restarts in the middle of a job', async () => {
    const { body } = await postFile(system.url, mp4);
    const accepted = body as Accepted;
    await eventually(async () => (await getResult(system.url, accepted)).stage === 'transcribe', {
      timeoutMs: 30_000,
      intervalMs: 20,
      what: 'the job to reach transcription',
    });
    await nats.stop();
    await new Promise((resolve) => setTimeout(resolve, 1500));
    await nats.start();

    const result = await waitForEnd(system.url, accepted);
    expect(result.status).toBe('completed');
    expect(result.error).toBeNull();
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(await completionEvents(nc, accepted.id)).toHaveLength(1);
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
    expect(await completionEvents(nc, result.id)).toHaveLength(1);
  });
});
