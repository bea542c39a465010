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

  it('carries the active trace context in a traceparent header', async () => {
    const { seq, traceparent } = await inSpan('submit', context.active(), async () => ({
      seq: (await publisher.publish(Subjects.completed, { jobId: JOB })).seq,
      traceparent: currentTraceparent(),
    }));
    const stored = await jsm.streams.getMessage(Streams.events, { seq });
    expect(traceparent).toMatch(/^00-/);
    expect(stored!.header.get('traceparent')).toBe(traceparent);
  });
});
