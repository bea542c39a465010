import { jetstreamManager, type JetStreamManager } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { context } from '@opentelemetry/api';
import { messageId, Streams, Subjects } from '@introeval/contracts';
import { currentTraceparent, inSpan, startTelemetry } from '@introeval/telemetry';
import { startNatsServer, type NatsServerHandle } from '@introeval/testing';
import { JetStreamPublisher } from './jetstream.publisher.js';
import { ensureTopology } from './topology.js';

const JOB = '5d0c4b8e-1f0e-4f7a-9a52-0f4f7f6f7c01';

describe('JetStreamPublisher', () => {
  let server: NatsServerHandle;
  let nc: NatsConnection;
  let jsm: JetStreamManager;
  let publisher: JetStreamPublisher;

  beforeAll(async () => {
    startTelemetry('messaging-spec');
    server = await startNatsServer();
    nc = await connect({ servers: server.url });
    jsm = await jetstreamManager(nc);
    await ensureTopology(nc);
    publisher = new JetStreamPublisher(nc);
  });
  afterAll(async () => {
    await nc.close();
    await server.dispose();
  });

  it('stores a message published twice with the same msgId once', async () => {
    const id = messageId(JOB, Subjects.rate);
    const first = await publisher.publish(Subjects.rate, { jobId: JOB }, { msgId: id });
    const second = await publisher.publish(Subjects.rate, { jobId: JOB }, { msgId: id });
    const third = await publisher.publish(Subjects.rate, { jobId: JOB });

    expect(first).toEqual({ stream: Streams.work, seq: expect.any(Number), duplicate: false });
    expect(second).toEqual({ stream: Streams.work, seq: first.seq, duplicate: true });
    expect(third.seq).toBe(first.seq + 1);
    const stored = await jsm.streams.getMessage(Streams.work, { seq: first.seq });
    expect(stored!.json()).toEqual({ jobId: JOB });
    expect(stored!.header.get('Nats-Msg-Id')).toBe(id);
  });

  it('with `once` stores one message per subject and answers a second publish as a duplicate', async () => {
    const subject = Subjects.completed(JOB);
    const other = Subjects.failed(JOB);
    const first = await publisher.publish(subject, { jobId: JOB, n: 1 }, { once: true });
    const second = await publisher.publish(subject, { jobId: JOB, n: 2 }, { once: true });
    const elsewhere = await publisher.publish(other, { jobId: JOB }, { once: true });

    expect(first).toEqual({ stream: Streams.events, seq: expect.any(Number), duplicate: false });
    expect(second).toEqual({ stream: Streams.events, seq: first.seq, duplicate: true });
    expect(elsewhere).toEqual({ stream: Streams.events, seq: first.seq + 1, duplicate: false });
    const kept = await jsm.streams.getMessage(Streams.events, { last_by_subj: subject });
    expect(kept!.seq).toBe(first.seq);
    expect(kept!.json()).toEqual({ jobId: JOB, n: 1 });
    const info = await jsm.streams.info(Streams.events, { subjects_filter: subject });
    expect(info.state.subjects).toEqual({ [subject]: 1 });
  });

  it('with `once` and a msgId answers a retried publish (same id) as a duplicate too', async () => {
    const job = '7a3c9e1d-2b4f-4c6a-8d0e-1f2a3b4c5d6e';
    const subject = Subjects.completed(job);
    const first = await publisher.publish(subject, { jobId: job }, { once: true, msgId: messageId(job, subject) });
    const retried = await publisher.publish(subject, { jobId: job }, { once: true, msgId: messageId(job, subject) });
    const other = await publisher.publish(subject, { jobId: job }, { once: true, msgId: 'another id' });

    expect(retried).toEqual({ stream: Streams.events, seq: first.seq, duplicate: true });
    expect(other).toEqual({ stream: Streams.events, seq: first.seq, duplicate: true });
  });

  it('without `once` still stores every message on a subject', async () => {
    const job = '2e4f6a8b-0c1d-4e3f-9a5b-7c9d1e3f5a7b';
    const first = await publisher.publish(Subjects.completed(job), { jobId: job });
    const second = await publisher.publish(Subjects.completed(job), { jobId: job });
    expect(second).toEqual({ stream: Streams.events, seq: first.seq + 1, duplicate: false });
  });

  it('carries the active trace context in a traceparent header', async () => {
    const { seq, traceparent } = await inSpan('submit', context.active(), async () => ({
      seq: (await publisher.publish(Subjects.completed(JOB), { jobId: JOB })).seq,
      traceparent: currentTraceparent(),
    }));
    const stored = await jsm.streams.getMessage(Streams.events, { seq });
    expect(traceparent).toMatch(/^00-/);
    expect(stored!.header.get('traceparent')).toBe(traceparent);
  });
});
