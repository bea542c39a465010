import { jetstream, jetstreamManager, type JetStreamClient, type JetStreamManager } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import {
  Controller,
  Inject,
  Injectable,
  type INestMicroservice,
  type OnApplicationShutdown,
  type OnModuleDestroy,
  type Type,
} from '@nestjs/common';
import { Ctx, EventPattern, Payload, type MicroserviceOptions } from '@nestjs/microservices';
import { Test } from '@nestjs/testing';
import { context } from '@opentelemetry/api';
import {
  ErrorCode,
  IntroEvalError,
  STAGE_SUBJECT,
  StageMessage,
  Streams,
  Subjects,
} from '@introeval/contracts';
import { currentTraceparent, inSpan, startTelemetry } from '@introeval/telemetry';
import { eventually, startNatsServer, type NatsServerHandle } from '@introeval/testing';
import { DeadLetterHeaders } from './dead-letter.publisher.js';
import { JetStreamContext } from './jetstream.context.js';
import { JetStreamExceptionFilter } from './jetstream.exception-filter.js';
import type { JetStreamServerOptions, StageConsumerOptions, StageFailure } from './jetstream.options.js';
import { JetStreamPublisher } from './jetstream.publisher.js';
import { JetStreamServer } from './jetstream.server.js';
import { ensureTopology } from './topology.js';

const JOB = '3f2a9a7e-4b1c-4d8e-9f00-1a2b3c4d5e6f';
const BEHAVIOUR = Symbol('behaviour');
const EVENTS = Symbol('events');

interface Call {
  payload: StageMessage;
  subject: string;
  deliveryCount: number;
  traceparent: string | null;
  at: number;
}
type Behaviour = (call: Call, ctx: JetStreamContext) => Promise<void>;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Resolves with the signal's reason once it aborts. */
function aborted(signal: AbortSignal): Promise<Error> {
  return new Promise((resolve) => {
    signal.addEventListener('abort', () => resolve(signal.reason as Error), { once: true });
  });
}

@Controller()
class ExtractConsumer {
  constructor(@Inject(BEHAVIOUR) private readonly behaviour: Behaviour) {}

  @EventPattern<string>(STAGE_SUBJECT.extract)
  async extract(@Payload() payload: StageMessage, @Ctx() ctx: JetStreamContext): Promise<void> {
    const call = { payload, subject: ctx.subject, deliveryCount: ctx.deliveryCount, traceparent: currentTraceparent() };
    await this.behaviour({ ...call, at: Date.now() }, ctx);
  }
}

@Controller()
class SecondExtractConsumer {
  @EventPattern<string>(STAGE_SUBJECT.extract)
  async extractAgain(@Payload() _payload: StageMessage): Promise<void> {}
}

@Controller()
class RateConsumer {
  @EventPattern<string>(STAGE_SUBJECT.rate)
  async rate(@Payload() _payload: StageMessage): Promise<void> {}
}

/** Stands in for the app's connection owner: it drains NATS when the app shuts down. */
@Injectable()
class ConnectionOwner implements OnModuleDestroy, OnApplicationShutdown {
  constructor(@Inject(EVENTS) private readonly events: string[]) {}
  onModuleDestroy(): void {
    this.events.push('module destroyed');
  }
  onApplicationShutdown(): void {
    this.events.push('connection drained');
  }
}

describe('JetStreamServer', () => {
  let server: NatsServerHandle;
  let nc: NatsConnection;
  let jsm: JetStreamManager;
  let js: JetStreamClient;
  let publisher: JetStreamPublisher;
  let apps: INestMicroservice[] = [];
  let calls: Call[];
  let failures: StageFailure[];
  let events: string[];

  beforeAll(async () => {
    startTelemetry('messaging-spec');
    server = await startNatsServer();
    nc = await connect({ servers: server.url });
    jsm = await jetstreamManager(nc);
    js = jetstream(nc);
    publisher = new JetStreamPublisher(nc);
  });
  afterAll(async () => {
    await nc.close();
    await server.dispose();
  });
  beforeEach(async () => {
    for (const name of Object.values(Streams)) await jsm.streams.delete(name).catch(() => false);
    await ensureTopology(nc);
    calls = [];
    failures = [];
    events = [];
  });
  afterEach(async () => {
    await Promise.all(apps.map((app) => app.close()));
    apps = [];
  });

  async function startApp(
    behaviour: Behaviour = () => Promise.resolve(undefined),
    {
      controllers = [ExtractConsumer],
      consumer = {},
      options = {},
    }: {
      controllers?: Type[];
      consumer?: Partial<StageConsumerOptions>;
      options?: Partial<JetStreamServerOptions>;
    } = {},
  ): Promise<INestMicroservice> {
    const moduleRef = await Test.createTestingModule({
      controllers,
      providers: [
        {
          provide: BEHAVIOUR,
          useValue: async (call: Call, ctx: JetStreamContext) => {
            calls.push(call);
            await behaviour(call, ctx);
          },
        },
        { provide: EVENTS, useValue: events },
        ConnectionOwner,
      ],
    }).compile();
    const strategy = new JetStreamServer({
      connection: nc,
      consumers: [
        { stage: 'extract', concurrency: 2, ackWaitMs: 5000, maxDeliver: 3, payload: StageMessage, ...consumer },
      ],
      backoffMs: [50],
      drainTimeoutMs: 3000,
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
    return app;
  }

  const stored = async (stream: string) => (await jsm.streams.info(stream)).state.messages;
  const publishJob = () => publisher.publish(Subjects.extract, { jobId: JOB });

  describe('refuses to boot', () => {
    it('when a declared consumer has no handler', async () => {
      await expect(startApp(undefined, { controllers: [] })).rejects.toThrow(
        /no @EventPattern handler for introeval.stage.extract \(stage extract\)/,
      );
      await expect(jsm.consumers.info(Streams.work, 'extract')).rejects.toThrow(/consumer not found/);
    });

    it('when two handlers listen on one subject', async () => {
      await expect(startApp(undefined, { controllers: [ExtractConsumer, SecondExtractConsumer] })).rejects.toThrow(
        /two or more @EventPattern handlers for introeval.stage.extract/,
      );
    });

    it('when a handler listens on a subject no consumer is declared for', async () => {
      await expect(startApp(undefined, { controllers: [ExtractConsumer, RateConsumer] })).rejects.toThrow(
        /a handler listens on introeval.stage.rate but no consumer is declared/,
      );
    });
  });

  it('hands the handler a validated DTO and its context, then acks the message', async () => {
    await startApp();
    await publishJob();

    await eventually(async () => calls.length === 1 && (await stored(Streams.work)) === 0, { what: 'ack' });
    expect(calls[0].payload).toBeInstanceOf(StageMessage);
    expect(calls[0]).toMatchObject({ payload: { jobId: JOB }, subject: Subjects.extract, deliveryCount: 1 });
    expect((await jsm.consumers.info(Streams.work, 'extract')).num_ack_pending).toBe(0);
    expect(failures).toEqual([]);
  });

  it('terminates an invalid payload at once and reports INVALID_INPUT without calling the handler', async () => {
    await startApp();
    await js.publish(Subjects.extract, JSON.stringify({ jobId: 'not-a-uuid', extra: true }));

    await eventually(() => failures.length === 1, { what: 'onFailure' });
    expect(failures[0]).toMatchObject({
      stage: 'extract',
      subject: Subjects.extract,
      jobId: 'not-a-uuid',
      code: ErrorCode.InvalidInput,
      final: true,
      deliveries: 1,
    });
    expect(failures[0].message).toContain('jobId must be a UUID v4');
    expect(failures[0].message).toContain('property extra should not exist');
    await eventually(async () => (await stored(Streams.work)) === 0, { what: 'term to remove the message' });
    const info = await jsm.consumers.info(Streams.work, 'extract');
    expect(info.num_redelivered + info.num_ack_pending).toBe(0);
    expect(calls).toEqual([]);
    const letter = await jsm.streams.getMessage(Streams.deadLetters, { last_by_subj: Subjects.deadLetter('extract') });
    expect(letter!.json()).toEqual({ jobId: 'not-a-uuid', extra: true });
    expect(letter!.header.get(DeadLetterHeaders.subject)).toBe(Subjects.extract);
    expect(letter!.header.get(DeadLetterHeaders.stage)).toBe('extract');
    expect(letter!.header.get(DeadLetterHeaders.code)).toBe(ErrorCode.InvalidInput);
    expect(letter!.header.get(DeadLetterHeaders.error)).toBe(failures[0].message);
    expect(letter!.header.get(DeadLetterHeaders.deliveries)).toBe('1');
  });

  it('dead-letters an unreadable payload that has no jobId before terminating it', async () => {
    await startApp();
    const { seq } = await js.publish(Subjects.extract, 'not json {');

    await eventually(() => failures.length === 1, { what: 'onFailure' });
    expect(failures[0]).toMatchObject({ jobId: null, code: ErrorCode.InvalidInput, message: 'payload is not JSON' });
    await eventually(async () => (await stored(Streams.work)) === 0, { what: 'term' });
    const letter = await jsm.streams.getMessage(Streams.deadLetters, { last_by_subj: Subjects.deadLetter('extract') });
    expect(letter!.string()).toBe('not json {');
    expect(letter!.header.get(DeadLetterHeaders.error)).toBe('payload is not JSON');
    expect(letter!.header.get(DeadLetterHeaders.code)).toBe(ErrorCode.InvalidInput);
    expect(letter!.header.get(DeadLetterHeaders.streamSequence)).toBe(String(seq));
    expect(await stored(Streams.deadLetters)).toBe(1);
    expect(calls).toEqual([]);
  });

  it('retries a transient error with the configured backoff, then succeeds', async () => {
    await startApp(
      (call) => {
        if (call.deliveryCount < 3) throw new Error('engine busy');
        return Promise.resolve();
      },
      { options: { backoffMs: [200, 400] } },
    );
    await publishJob();

    await eventually(async () => calls.length === 3 && (await stored(Streams.work)) === 0, { what: 'third delivery' });
    expect(calls.map((c) => c.deliveryCount)).toEqual([1, 2, 3]);
    expect(calls[1].at - calls[0].at).toBeGreaterThanOrEqual(190);
    expect(calls[2].at - calls[1].at).toBeGreaterThanOrEqual(390);
    expect(failures).toEqual([]);
  });

  it('after the last delivery reports STAGE_EXHAUSTED once and keeps a dead letter', async () => {
    await startApp(() => {
      throw new Error('engine down\nfor good');
    });
    await publishJob();

    await eventually(() => failures.length === 1, { what: 'onFailure' });
    expect(failures[0]).toMatchObject({
      jobId: JOB,
      code: ErrorCode.StageExhausted,
      message: 'engine down\nfor good',
      deliveries: 3,
    });
    await eventually(async () => (await stored(Streams.work)) === 0, { what: 'term' });
    expect(calls.map((c) => c.deliveryCount)).toEqual([1, 2, 3]);
    const letter = await jsm.streams.getMessage(Streams.deadLetters, { last_by_subj: Subjects.deadLetter('extract') });
    expect(letter!.json()).toEqual({ jobId: JOB });
    expect(letter!.header.get(DeadLetterHeaders.subject)).toBe(Subjects.extract);
    expect(letter!.header.get(DeadLetterHeaders.stage)).toBe('extract');
    expect(letter!.header.get(DeadLetterHeaders.error)).toBe('engine down for good');
    expect(letter!.header.get(DeadLetterHeaders.deliveries)).toBe('3');
    expect(letter!.header.get(DeadLetterHeaders.code)).toBe(ErrorCode.StageExhausted);
    expect(await stored(Streams.deadLetters)).toBe(1);
    expect(failures).toHaveLength(1);
  });

  it('fails a permanent IntroEvalError with its own code and never retries it', async () => {
    await startApp(() => {
      throw IntroEvalError.permanent(ErrorCode.TranscriptEmpty, 'nothing was said');
    });
    await publishJob();

    await eventually(() => failures.length === 1, { what: 'onFailure' });
    expect(failures[0]).toMatchObject({ code: ErrorCode.TranscriptEmpty, message: 'nothing was said', deliveries: 1 });
    await eventually(async () => (await stored(Streams.work)) === 0, { what: 'term' });
    expect((await jsm.consumers.info(Streams.work, 'extract')).num_redelivered).toBe(0);
    expect(calls).toHaveLength(1);
    expect(await stored(Streams.deadLetters)).toBe(0);
  });

  it("runs the handler in the publisher's trace", async () => {
    await startApp();
    const submitted = await inSpan('submit', context.active(), async () => {
      await publishJob();
      return currentTraceparent()!;
    });

    await eventually(() => calls.length === 1, { what: 'handler' });
    const [, traceId, spanId] = submitted.split('-');
    const handled = calls[0].traceparent!.split('-');
    expect(handled[1]).toBe(traceId);
    expect(handled[2]).not.toBe(spanId);
  });

  it('keeps at most `concurrency` handlers running', async () => {
    let running = 0;
    let peak = 0;
    await startApp(
      async () => {
        peak = Math.max(peak, ++running);
        await new Promise((resolve) => setTimeout(resolve, 100));
        running--;
      },
      { consumer: { concurrency: 2 } },
    );
    for (let i = 0; i < 6; i++) await publishJob();

    await eventually(async () => calls.length === 6 && (await stored(Streams.work)) === 0, { what: 'all six' });
    expect(peak).toBe(2);
  });

  it('close() waits for a running handler, whose message is acked before the app releases the connection', async () => {
    let finishedAt = 0;
    const app = await startApp(async () => {
      await new Promise((resolve) => setTimeout(resolve, 500));
      finishedAt = Date.now();
    });
    await publishJob();
    await eventually(() => calls.length === 1, { what: 'handler to start' });

    await app.close();

    expect(finishedAt).toBeGreaterThan(0);
    expect(await stored(Streams.work)).toBe(0);
    expect(events).toEqual(['module destroyed', 'connection drained']);
    await publishJob();
    expect((await jsm.consumers.info(Streams.work, 'extract')).num_ack_pending).toBe(0);
  });

  it('on a shutdown signal (enableShutdownHooks) finishes the running handler before the connection goes', async () => {
    const app = await startApp(async () => {
      await new Promise((resolve) => setTimeout(resolve, 300));
      events.push('handler done');
    });
    await publishJob();
    await eventually(() => calls.length === 1, { what: 'handler to start' });

    // What Nest's SIGTERM listener runs, minus the process.kill that follows it.
    await (app as unknown as { shutdown(signal: string): Promise<void> }).shutdown('SIGTERM');

    // Nest runs onModuleDestroy before it closes the transport, so a handler may outlive module teardown.
    expect(events).toEqual(['module destroyed', 'handler done', 'connection drained']);
    expect(await stored(Streams.work)).toBe(0);
  });
  describe('when recording the failure fails (onFailure throws the first time)', () => {
    let hookCalls: number;
    const flakyOnFailure = (failure: StageFailure): Promise<void> => {
      if (++hookCalls === 1) return Promise.reject(new Error('KV unavailable'));
      failures.push(failure);
      return Promise.resolve();
    };
    beforeEach(() => {
      hookCalls = 0;
    });

    it('keeps a permanently failed message and reports it again on its redelivery', async () => {
      await startApp(
        () => {
          throw IntroEvalError.permanent(ErrorCode.TranscriptEmpty, 'nothing was said');
        },
        { options: { onFailure: flakyOnFailure } },
      );
      await publishJob();

      await eventually(async () => failures.length === 1 && (await stored(Streams.work)) === 0, { what: 'report' });
      expect(hookCalls).toBe(2);
      expect(failures[0]).toMatchObject({ code: ErrorCode.TranscriptEmpty, deliveries: 2 });
      expect(calls.map((c) => c.deliveryCount)).toEqual([1, 2]);
    });

    it('keeps an invalid payload and reports it again, with one dead letter', async () => {
      await startApp(undefined, { options: { onFailure: flakyOnFailure } });
      await js.publish(Subjects.extract, JSON.stringify({ jobId: JOB, extra: 1 }));

      await eventually(async () => failures.length === 1 && (await stored(Streams.work)) === 0, { what: 'report' });
      expect(hookCalls).toBe(2);
      expect(failures[0]).toMatchObject({ jobId: JOB, code: ErrorCode.InvalidInput, deliveries: 2 });
      expect(await stored(Streams.deadLetters)).toBe(1);
    });

    it('on the last delivery keeps the message; its max-deliveries advisory reports the same verdict', async () => {
      await startApp(
        () => {
          throw new Error('engine down');
        },
        { consumer: { maxDeliver: 2 }, options: { onFailure: flakyOnFailure } },
      );
      await publishJob();

      await eventually(async () => failures.length === 1 && (await stored(Streams.work)) === 0, {
        what: 'the advisory path to report and delete',
      });
      expect(hookCalls).toBe(2);
      expect(failures[0]).toMatchObject({
        jobId: JOB,
        code: ErrorCode.StageExhausted,
        message: 'engine down',
        deliveries: 2,
      });
      expect(calls.map((c) => c.deliveryCount)).toEqual([1, 2]);
      expect(await stored(Streams.deadLetters)).toBe(1);
    });
  });

  describe('ctx.signal', () => {
    it('aborts at the stage deadline; the delivery is retried as transient, whatever the handler throws', async () => {
      let reason: Error | undefined;
      let abortedAfter = 0;
      let signalOfSecond: AbortSignal | undefined;
      await startApp(
        async (call, ctx) => {
          if (call.deliveryCount > 1) {
            signalOfSecond = ctx.signal;
            return;
          }
          reason = await aborted(ctx.signal);
          abortedAfter = Date.now() - call.at;
          ctx.working(); // a no-op now: the message must be free to go elsewhere
          // An engine whose child was killed may take that for broken media: the deadline still makes it transient.
          throw IntroEvalError.permanent(ErrorCode.MediaUnreadable, 'ffmpeg was killed');
        },
        { consumer: { timeoutMs: 300 } },
      );
      await publishJob();

      await eventually(async () => calls.length === 2 && (await stored(Streams.work)) === 0, { what: 'redelivery' });
      expect(calls.map((c) => c.deliveryCount)).toEqual([1, 2]);
      expect(reason?.message).toBe('stage extract exceeded its time limit of 0.3 s');
      expect(abortedAfter).toBeGreaterThanOrEqual(290);
      expect(signalOfSecond?.aborted).toBe(false);
      expect(failures).toEqual([]);
    });

    it('a deadline on the last delivery ends in STAGE_EXHAUSTED, even if the handler then returns', async () => {
      await startApp(
        async (_call, ctx) => {
          await aborted(ctx.signal);
        },
        { consumer: { timeoutMs: 300, maxDeliver: 1 } },
      );
      await publishJob();

      await eventually(async () => failures.length === 1 && (await stored(Streams.work)) === 0, { what: 'give-up' });
      expect(failures[0]).toMatchObject({
        code: ErrorCode.StageExhausted,
        message: 'stage extract exceeded its time limit of 0.3 s',
        deliveries: 1,
      });
      expect(await stored(Streams.deadLetters)).toBe(1);
    });

    it('close() aborts a handler running past drainTimeoutMs, waits for it, and hands its message on', async () => {
      let reason: Error | undefined;
      let settledAt = 0;
      const first = await startApp(
        async (_call, ctx) => {
          reason = await aborted(ctx.signal);
          await sleep(150); // the engine kills its child process and waits for it to exit
          settledAt = Date.now();
          throw ctx.signal.reason;
        },
        { options: { drainTimeoutMs: 200 } },
      );
      await publishJob();
      await eventually(() => calls.length === 1, { what: 'handler to start' });

      const closing = Date.now();
      await first.close();
      const closed = Date.now();

      expect(reason?.message).toMatch(/^shutting down/);
      expect(closed - closing).toBeGreaterThanOrEqual(190);
      expect(settledAt).toBeGreaterThan(0);
      expect(settledAt).toBeLessThanOrEqual(closed);
      expect(await stored(Streams.work)).toBe(1); // not acked

      // Another instance takes it at once (nak without delay), long before the 5 s ack_wait.
      await startApp();
      await eventually(async () => calls.length === 2 && (await stored(Streams.work)) === 0, {
        what: 'the second instance',
        timeoutMs: 2000,
      });
      expect(calls[1].at).toBeGreaterThan(closed);
      expect(calls[1].at - closed).toBeLessThan(1500);
      // A redelivery, though nats-server 2.9 may report it as delivery 1: the nak'd message first goes to the closed
      // instance's abandoned pull request, and the server takes that delivery back when it finds no one listening.
      expect([1, 2]).toContain(calls[1].deliveryCount);
      expect(failures).toEqual([]);
    });
    it('close() resolves after abortGraceMs when a handler ignores its signal, and does not ack', async () => {
      let release: () => void = () => undefined;
      const released = new Promise<void>((resolve) => (release = resolve));
      const app = await startApp(() => released, { options: { drainTimeoutMs: 100, abortGraceMs: 200 } });
      await publishJob();
      await eventually(() => calls.length === 1, { what: 'handler to start' });

      const closing = Date.now();
      await app.close();
      const tookMs = Date.now() - closing;
      release();

      expect(tookMs).toBeGreaterThanOrEqual(290);
      expect(tookMs).toBeLessThan(1000);
      await sleep(50);
      expect(await stored(Streams.work)).toBe(1);
      expect((await jsm.consumers.info(Streams.work, 'extract')).num_ack_pending).toBe(1);
    });
  });
});
