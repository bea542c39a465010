import { jetstreamManager, RetentionPolicy, type JetStreamManager } from '@nats-io/jetstream';
import { connect, nanos, type NatsConnection } from '@nats-io/transport-node';
import { Streams } from '@introeval/contracts';
import { startNatsServer, type NatsServerHandle } from '@introeval/testing';
import { ensureStageConsumer, ensureTopology } from './topology.js';

describe('topology', () => {
  let server: NatsServerHandle;
  let nc: NatsConnection;
  let jsm: JetStreamManager;

  beforeAll(async () => {
    server = await startNatsServer();
    nc = await connect({ servers: server.url });
    jsm = await jetstreamManager(nc);
  });
  afterAll(async () => {
    await nc.close();
    await server.dispose();
  });
  beforeEach(async () => {
    for (const name of Object.values(Streams)) await jsm.streams.delete(name).catch(() => false);
  });

  it('creates the three streams, and many processes booting at once all succeed', async () => {
    const connections = await Promise.all([1, 2, 3, 4].map(() => connect({ servers: server.url })));
    try {
      await Promise.all(connections.map((c) => ensureTopology(c)));
      await Promise.all(
        connections.map(async (c) =>
          ensureStageConsumer(await jetstreamManager(c), 'extract', { concurrency: 2, ackWaitMs: 5000, maxDeliver: 3 }),
        ),
      );
    } finally {
      await Promise.all(connections.map((c) => c.close()));
    }

    const work = (await jsm.streams.info(Streams.work)).config;
    expect(work.retention).toBe(RetentionPolicy.Workqueue);
    expect(work.subjects).toEqual(['introeval.job.submitted', 'introeval.stage.*']);
    expect(work.duplicate_window).toBe(nanos(120_000));
    const events = (await jsm.streams.info(Streams.events)).config;
    expect(events.retention).toBe(RetentionPolicy.Limits);
    expect(events.max_age).toBe(nanos(14 * 86_400_000));
    expect((await jsm.streams.info(Streams.deadLetters)).config.max_age).toBe(nanos(30 * 86_400_000));
    const consumer = (await jsm.consumers.info(Streams.work, 'extract')).config;
    expect(consumer).toMatchObject({ filter_subject: 'introeval.stage.extract', ack_wait: nanos(5000), max_deliver: 3 });
  });

  it('updates a stream and a consumer whose config changed, and leaves equal ones alone', async () => {
    await ensureTopology(nc);
    await ensureStageConsumer(jsm, 'rate', { concurrency: 1, ackWaitMs: 5000, maxDeliver: 3 });

    const [work] = await ensureTopology(nc, { duplicateWindowMs: 30_000 });
    const consumer = await ensureStageConsumer(jsm, 'rate', { concurrency: 1, ackWaitMs: 9000, maxDeliver: 5 });

    expect(work.config.duplicate_window).toBe(nanos(30_000));
    expect((await jsm.streams.info(Streams.work)).config.duplicate_window).toBe(nanos(30_000));
    expect(consumer.config).toMatchObject({ ack_wait: nanos(9000), max_deliver: 5 });
    const again = await ensureStageConsumer(jsm, 'rate', { concurrency: 1, ackWaitMs: 9000, maxDeliver: 5 });
    expect(again.created).toEqual(consumer.created);
  });

  it('refuses a work stream whose retention the server cannot change in place', async () => {
    await jsm.streams.add({ name: Streams.work, subjects: ['introeval.stage.*'], retention: RetentionPolicy.Limits });
    await expect(ensureTopology(nc)).rejects.toThrow(/INTROEVAL_WORK exists with retention limits/);
  });

  it('says which call is missing when the work stream does not exist', async () => {
    await expect(ensureStageConsumer(jsm, 'rate', { concurrency: 1, ackWaitMs: 1000, maxDeliver: 1 })).rejects.toThrow(
      /call ensureTopology\(\) before serving stage rate/,
    );
  });
});
