import { jest } from '@jest/globals';
import { jetstreamManager } from '@nats-io/jetstream';
import type { KV } from '@nats-io/kv';
import { Kvm } from '@nats-io/kv';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { Controller, Logger, type INestMicroservice } from '@nestjs/common';
import { EventPattern, Payload, type MicroserviceOptions } from '@nestjs/microservices';
import { Test } from '@nestjs/testing';
import { STAGE_SUBJECT, StageMessage, Streams, Subjects } from '@introeval/contracts';
import { BucketNames } from '@introeval/nats';
import { eventually, startNatsServer, type NatsServerHandle } from '@introeval/testing';
import { JetStreamExceptionFilter } from './jetstream.exception-filter.js';
import { JetStreamPublisher } from './jetstream.publisher.js';
import { JetStreamServer } from './jetstream.server.js';
import { openStageWorkerBucket, StageHeartbeat, StageWorkerDirectory } from './stage-heartbeat.js';
import { ensureTopology } from './topology.js';

const JOB = '3f2a9a7e-4b1c-4d8e-9f00-1a2b3c4d5e6f';
const HEARTBEAT_MS = 200;

/** Each job takes as long as the test says, and the test can hold it open. */
const control: { ms: number; release: Promise<void> } = { ms: 120, release: Promise.resolve() };

@Controller()
class RateConsumer {
  @EventPattern<string>(STAGE_SUBJECT.rate)
  async rate(@Payload() _payload: StageMessage): Promise<void> {
    await new Promise((resolve) => setTimeout(resolve, control.ms));
    await control.release;
  }
}

describe('stage worker heartbeats', () => {
  let server: NatsServerHandle;
  let nc: NatsConnection;
  let kv: KV;
  let directory: StageWorkerDirectory;
  const logger = new Logger('spec');

  beforeAll(async () => {
    server = await startNatsServer();
    nc = await connect({ servers: server.url });
    await ensureTopology(nc);
  });
  afterAll(async () => {
    await nc.close();
    await server.dispose();
  });

  it('reads an absent bucket as no workers', async () => {
    const unbound = await new Kvm(nc).open(BucketNames.stageWorkers);
    await expect(new StageWorkerDirectory(unbound, logger).live()).resolves.toEqual([]);
  });

  async function startWorker(workerId: string): Promise<INestMicroservice> {
    kv = await openStageWorkerBucket(nc, HEARTBEAT_MS);
    directory = new StageWorkerDirectory(kv, logger);
    const moduleRef = await Test.createTestingModule({ controllers: [RateConsumer] }).compile();
    const strategy = new JetStreamServer({
      connection: nc,
      consumers: [{ stage: 'rate', concurrency: 3, ackWaitMs: 5000, maxDeliver: 3, payload: StageMessage }],
      backoffMs: [50],
      drainTimeoutMs: 3000,
      onFailure: () => Promise.resolve(),
      heartbeat: { kv, service: 'rating', workerId, node: null, everyMs: HEARTBEAT_MS },
    });
    const app = moduleRef.createNestMicroservice<MicroserviceOptions>({ strategy, logger: false });
    app.useGlobalFilters(new JetStreamExceptionFilter());
    await app.listen();
    return app;
  }

  it('announces a worker with its slots, counts what it holds, measures finished jobs, and is removed on stop', async () => {
    const app = await startWorker('rating-host-1');
    const first = await eventually(async () => (await directory.live())[0], { what: 'the first heartbeat' });
    expect(first).toMatchObject({
      stage: 'rate',
      service: 'rating',
      workerId: 'rating-host-1',
      concurrency: 3,
      inFlight: 0,
      node: null,
      serviceTime: { mean: 0, spread: 0, samples: 0 },
    });

    let release!: () => void;
    control.release = new Promise((resolve) => (release = resolve));
    const publisher = new JetStreamPublisher(nc);
    await publisher.publish(Subjects.rate, { jobId: JOB });
    await eventually(async () => (await directory.live())[0]?.inFlight === 1, { what: 'the job to show in flight' });
    release();

    const measured = await eventually(async () => {
      const [record] = await directory.live();
      return record?.serviceTime.samples === 1 && record.inFlight === 0 ? record : undefined;
    }, { what: 'the finished job to be measured' });
    // The handler slept 120 ms; the measurement runs from taking the message to the confirmed ack.
    expect(measured.serviceTime.mean).toBeGreaterThanOrEqual(0.12);
    expect(measured.serviceTime.mean).toBeLessThan(2);

    await app.close();
    await expect(directory.live()).resolves.toEqual([]);
    expect((await jetstreamManager(nc).then((jsm) => jsm.streams.info(Streams.work))).state.messages).toBe(0);
  });

  it('lets the record of a worker that stopped heartbeating expire within a few heartbeats', async () => {
    kv = await openStageWorkerBucket(nc, HEARTBEAT_MS);
    directory = new StageWorkerDirectory(kv, logger);
    const heartbeat = new StageHeartbeat({ kv, stage: 'extract', service: 'extraction', workerId: 'w-1', node: 'gpu-0', everyMs: HEARTBEAT_MS, logger });
    heartbeat.attach({ running: 1, slots: 2 });
    heartbeat.start();
    await eventually(async () => (await directory.live()).length === 1, { what: 'the record' });
    // Silence the worker without removing its record, as a killed process would.
    (heartbeat as unknown as { stopped: boolean }).stopped = true;
    const silentAt = Date.now();
    await eventually(async () => (await directory.live()).length === 0, { timeoutMs: 5000, intervalMs: 50, what: 'expiry' });
    expect(Date.now() - silentAt).toBeLessThan(3 * HEARTBEAT_MS + 1500);
    await heartbeat.stop();
  });

  it('skips a corrupt record, naming it', async () => {
    kv = await openStageWorkerBucket(nc, HEARTBEAT_MS);
    directory = new StageWorkerDirectory(kv, logger);
    const warn = jest.spyOn(logger, 'warn').mockImplementation(() => undefined);
    await kv.put('rate.broken', JSON.stringify({ stage: 'paint', inFlight: -1 }));
    await expect(directory.live()).resolves.toEqual([]);
    expect(warn).toHaveBeenCalledWith(expect.stringMatching(/rate\.broken is invalid: stage "paint" is not a stage/));
    warn.mockRestore();
  });

  it('refuses a worker id that cannot be a key token', () => {
    expect(
      () => new StageHeartbeat({ kv, stage: 'rate', service: 'rating', workerId: 'a.b', node: null, everyMs: 100, logger }),
    ).toThrow(/worker id "a.b" must be/);
  });
});
