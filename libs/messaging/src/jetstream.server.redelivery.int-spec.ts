import { jetstream, jetstreamManager, type JetStreamClient, type JetStreamManager } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { Controller, Inject, Logger, type INestMicroservice } from '@nestjs/common';
import { Ctx, EventPattern, Payload, type MicroserviceOptions } from '@nestjs/microservices';
import { Test } from '@nestjs/testing';
import { ErrorCode, STAGE_SUBJECT, StageMessage, Streams, Subjects } from '@introeval/contracts';
import { eventually, startNatsServer, type NatsServerHandle } from '@introeval/testing';
import { DeadLetterHeaders } from './dead-letter.publisher.js';
import type { JetStreamContext } from './jetstream.context.js';
import { JetStreamExceptionFilter } from './jetstream.exception-filter.js';
import type { JetStreamServerOptions, StageFailure } from './jetstream.options.js';
import { JetStreamPublisher } from './jetstream.publisher.js';
import { JetStreamServer } from './jetstream.server.js';
import { ensureStageConsumer, ensureTopology } from './topology.js';

const JOB = '9c1d2e3f-4a5b-4c6d-8e7f-0a1b2c3d4e5f';
const HANDLE = Symbol('handle');
type Handle = (deliveryCount: number) => Promise<void>;

@Controller()
class RateConsumer {
  constructor(@Inject(HANDLE) private readonly handle: Handle) {}

  @EventPattern<string>(STAGE_SUBJECT.rate)
  async rate(@Payload() _payload: StageMessage, @Ctx() ctx: JetStreamContext): Promise<void> {
    await this.handle(ctx.deliveryCount);
  }
}

/** Behaviour that depends on ack_wait running out: these tests take seconds, so they run beside the others. */
describe('JetStreamServer redelivery', () => {
  const rate = { ackWaitMs: 1000, maxDeliver: 2, concurrency: 2 };
  let server: NatsServerHandle;
  let nc: NatsConnection;
  let jsm: JetStreamManager;
  let js: JetStreamClient;
  let apps: INestMicroservice[] = [];
  let deliveries: number[];
  let failures: StageFailure[];

  beforeAll(async () => {
    server = await startNatsServer();
    nc = await connect({ servers: server.url, reconnectTimeWait: 200 });
    jsm = await jetstreamManager(nc);
    js = jetstream(nc);
  });
  afterAll(async () => {
    await nc.close();
    await server.dispose();
  });
  beforeEach(async () => {
    for (const name of Object.values(Streams)) await jsm.streams.delete(name).catch(() => false);
    await ensureTopology(nc);
    deliveries = [];
    failures = [];
  });
  afterEach(async () => {
    await Promise.all(apps.map((app) => app.close()));
    apps = [];
  });

  /** A replica of the rating app on its own connection. */
  async function startReplica(
    handle: Handle,
    options: Partial<JetStreamServerOptions> = {},
  ): Promise<INestMicroservice> {
    const connection = await connect({ servers: server.url, reconnectTimeWait: 200 });
    const moduleRef = await Test.createTestingModule({
      controllers: [RateConsumer],
      providers: [
        {
          provide: HANDLE,
          useValue: async (deliveryCount: number) => {
            deliveries.push(deliveryCount);
            await handle(deliveryCount);
          },
        },
      ],
    }).compile();
    const strategy = new JetStreamServer({
      connection,
      consumers: [{ stage: 'rate', payload: StageMessage, ...rate }],
      backoffMs: [50],
      drainTimeoutMs: 5000,
      onFailure: (failure) => {
        failures.push(failure);
        return Promise.resolve();
      },
      ...options,
    });
    const app = moduleRef.createNestMicroservice<MicroserviceOptions>({ strategy, logger: false });
    app.useGlobalFilters(new JetStreamExceptionFilter());
    apps.push(app);
    await app.listen();
    strategy.status.subscribe((status) => {
      if (status === 'closed') void connection.drain();
    });
    return app;
  }

  it('keeps a handler that runs past ack_wait from being redelivered (working)', async () => {
    await startReplica(() => new Promise((resolve) => setTimeout(resolve, 2600)));
    await new JetStreamPublisher(nc).publish(Subjects.rate, { jobId: JOB });

    await eventually(async () => (await jsm.streams.info(Streams.work)).state.messages === 0, {
      what: 'the slow handler to ack',
      timeoutMs: 6000,
    });
    expect(deliveries).toEqual([1]);
    expect((await jsm.consumers.info(Streams.work, 'rate')).num_redelivered).toBe(0);
    expect(failures).toEqual([]);
  }, 10_000);

  it('resumes pulling after the NATS server restarts', async () => {
    await startReplica(() => Promise.resolve());
    const reconnected = (async () => {
      for await (const status of nc.status()) if (status.type === 'reconnect') return;
    })();
    await server.stop();
    await server.start();
    await reconnected;
    await new JetStreamPublisher(nc).publish(Subjects.rate, { jobId: JOB });

    await eventually(() => deliveries.length === 1, { what: 'a delivery after the restart', timeoutMs: 4000 });
    await eventually(async () => (await jsm.streams.info(Streams.work)).state.messages === 0, { what: 'ack' });
  }, 20_000);

  it('dead-letters and fails a message whose worker died on every delivery', async () => {
    await ensureStageConsumer(jsm, 'rate', rate);
    const { seq } = await new JetStreamPublisher(nc).publish(Subjects.rate, { jobId: JOB });
    // The dead worker: pulls each delivery and never answers, as a process killed with -9 would.
    const dead = await js.consumers.get(Streams.work, 'rate');
    expect((await dead.next({ expires: 3000 }))?.info.deliveryCount).toBe(1);
    expect((await dead.next({ expires: 3000 }))?.info.deliveryCount).toBe(2);

    // Two replicas of the app, as in production; the server only advises once a pull request is waiting.
    await startReplica(() => Promise.resolve(undefined));
    await startReplica(() => Promise.resolve(undefined));

    await eventually(async () => failures.length > 0 && (await jsm.streams.info(Streams.work)).state.messages === 0, {
      what: 'the max-deliveries advisory to be handled',
      timeoutMs: 6000,
    });
    expect(failures).toEqual([
      {
        stage: 'rate',
        subject: Subjects.rate,
        jobId: JOB,
        code: ErrorCode.StageExhausted,
        message: expect.stringMatching(/^worker stopped responding: delivered 2 times/),
        final: true,
        deliveries: 2,
      },
    ]);
    expect(deliveries).toEqual([]);
    const letter = await jsm.streams.getMessage(Streams.deadLetters, { last_by_subj: Subjects.deadLetter('rate') });
    expect(letter!.json()).toEqual({ jobId: JOB });
    expect(letter!.header.get(DeadLetterHeaders.streamSequence)).toBe(String(seq));

    // A replayed advisory (a replica outside the queue group, a retry) changes nothing.
    const advisory = `$JS.EVENT.ADVISORY.CONSUMER.MAX_DELIVERIES.${Streams.work}.rate`;
    nc.publish(advisory, JSON.stringify({ stream: Streams.work, consumer: 'rate', stream_seq: seq, deliveries: 2 }));
    await nc.flush();
    await new JetStreamPublisher(nc).publish(Subjects.rate, { jobId: JOB });
    await eventually(() => deliveries.length === 1, { what: 'the replicas to keep working' });
    expect((await jsm.streams.info(Streams.deadLetters)).state.messages).toBe(1);
    expect(failures).toHaveLength(1);
  }, 15_000);
  /** Uses up the message's deliveries with a worker that naks each one (fast, unlike waiting out ack_wait). */
  async function exhaustDeliveries(): Promise<number> {
    await ensureStageConsumer(jsm, 'rate', rate);
    const { seq } = await new JetStreamPublisher(nc).publish(Subjects.rate, { jobId: JOB });
    const worker = await js.consumers.get(Streams.work, 'rate');
    for (let delivery = 1; delivery <= rate.maxDeliver; delivery++) {
      const msg = await worker.next({ expires: 3000 });
      expect(msg?.info.deliveryCount).toBe(delivery);
      msg!.nak();
    }
    await nc.flush();
    return seq;
  }

  it('retries a throwing onFailure on the max-deliveries path before it deletes the message', async () => {
    const seq = await exhaustDeliveries();
    let hookCalls = 0;
    await startReplica(() => Promise.resolve(undefined), {
      onFailure: (failure) => {
        if (++hookCalls === 1) return Promise.reject(new Error('KV unavailable'));
        failures.push(failure);
        return Promise.resolve();
      },
    });

    await eventually(async () => failures.length > 0 && (await jsm.streams.info(Streams.work)).state.messages === 0, {
      what: 'the retried report and the delete',
      timeoutMs: 5000,
    });
    expect(hookCalls).toBe(2); // the default retry: 1000 ms later
    expect(failures).toEqual([expect.objectContaining({ jobId: JOB, code: ErrorCode.StageExhausted, deliveries: 2 })]);
    const letter = await jsm.streams.getMessage(Streams.deadLetters, { last_by_subj: Subjects.deadLetter('rate') });
    expect(letter!.header.get(DeadLetterHeaders.streamSequence)).toBe(String(seq));
  }, 10_000);

  it('keeps the message, and says so loudly, when onFailure throws on every attempt', async () => {
    const errors: string[] = [];
    const original = Logger.prototype.error;
    Logger.prototype.error = function (message: unknown) {
      errors.push(String(message));
    };
    try {
      const seq = await exhaustDeliveries();
      let hookCalls = 0;
      await startReplica(() => Promise.resolve(undefined), {
        onFailure: () => {
          hookCalls++;
          return Promise.reject(new Error('KV unavailable'));
        },
        onFailureRetry: { attempts: 3, delayMs: 50 },
      });

      const kept = await eventually(() => errors.find((line) => line.includes('onFailure threw on all 3 attempt(s)')), {
        what: 'the error log',
      });
      expect(hookCalls).toBe(3);
      expect(kept).toContain(`${Subjects.rate} job=${JOB} seq=${seq}`);
      expect(kept).toContain(`stays in stream ${Streams.work}`);
      expect((await jsm.streams.getMessage(Streams.work, { seq }))!.json()).toEqual({ jobId: JOB });
      expect((await jsm.streams.info(Streams.deadLetters)).state.messages).toBe(1);
    } finally {
      Logger.prototype.error = original;
    }
  });
});
