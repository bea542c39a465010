import { jetstream, jetstreamManager, type JetStreamManager } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { Logger } from '@nestjs/common';
import { STAGE_SUBJECT, Streams } from '@introeval/contracts';
import { eventually, startNatsServer, type NatsServerHandle } from '@introeval/testing';
import { pullNoWait } from './no-wait-pull.js';
import type { Grant, PullGate } from './pull-gate.js';
import { StageWorker } from './stage.worker.js';
import { ensureStageConsumer, ensureTopology } from './topology.js';
import type { WorkMessage } from './work-message.js';

/** A gate the test drives by hand, recording what the worker tells it. */
class HandGate implements PullGate {
  current: Grant | null = null;
  reports: { inFlight: number; startedUnder?: number }[] = [];
  private started = new Map<number, number>();
  private listeners = new Set<() => void>();

  set(grant: Grant | null): void {
    this.current = grant;
    for (const listener of this.listeners) listener();
  }
  grant(): Grant | null {
    if (!this.current) return null;
    const { epoch, quota } = this.current;
    return { ...this.current, quota: quota === null ? null : quota - (this.started.get(epoch) ?? 0) };
  }
  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
  holding(inFlight: number, startedUnder?: number): void {
    this.reports.push({ inFlight, startedUnder });
    if (startedUnder !== undefined) this.started.set(startedUnder, (this.started.get(startedUnder) ?? 0) + 1);
  }
  get lastHolding(): number {
    return this.reports.at(-1)?.inFlight ?? 0;
  }
}

/** Messages the worker handed over, each held until the test releases it (then acked). */
class Held {
  readonly started: { msg: WorkMessage; epoch: number | null; release: () => void }[] = [];
  running = 0;
  maxRunning = 0;

  process = (msg: WorkMessage, epoch: number | null): Promise<void> =>
    new Promise<void>((resolve) => {
      this.running++;
      this.maxRunning = Math.max(this.maxRunning, this.running);
      this.started.push({
        msg,
        epoch,
        release: () => {
          this.running--;
          void msg.ackAck().then(() => resolve());
        },
      });
    });

  releaseAll(): void {
    for (const entry of this.started.splice(0)) entry.release();
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Retries `check` (a block of expectations) until it passes. */
const soon = (check: () => unknown) =>
  eventually(async () => {
    await check();
    return true;
  });

describe('StageWorker gated on a PullGate (no-wait pulls against a real nats-server)', () => {
  let server: NatsServerHandle;
  let nc: NatsConnection;
  let jsm: JetStreamManager;
  const logger = new Logger('gated-spec');

  beforeAll(async () => {
    server = await startNatsServer();
    nc = await connect({ servers: server.url });
    jsm = await jetstreamManager(nc);
    await ensureTopology(nc);
  });

  afterAll(async () => {
    await nc?.close();
    await server?.stop();
  });

  beforeEach(async () => {
    await jsm.consumers.delete(Streams.work, 'extract').catch(() => undefined);
    await jsm.streams.purge(Streams.work);
    await ensureStageConsumer(jsm, 'extract', { concurrency: 4, ackWaitMs: 30_000, maxDeliver: 5 });
  });

  async function publish(count: number): Promise<void> {
    const js = jetstream(nc);
    for (let i = 0; i < count; i++) await js.publish(STAGE_SUBJECT.extract, JSON.stringify({ jobId: `job-${i}` }));
  }

  async function pending(): Promise<{ waiting: number; unacked: number }> {
    const info = await jsm.consumers.info(Streams.work, 'extract');
    return { waiting: info.num_pending, unacked: info.num_ack_pending };
  }

  function worker(gate: HandGate, held: Held, concurrency = 4): StageWorker {
    const pull = (batch: number) => pullNoWait(nc, Streams.work, 'extract', batch);
    return new StageWorker({ name: 'extract', concurrency, process: held.process, logger, source: { gate, pull, pollMs: 10 } });
  }

  it('pulls nothing while the stage is not granted', async () => {
    const gate = new HandGate();
    const held = new Held();
    const w = worker(gate, held);
    await publish(3);
    w.start();
    await sleep(300);
    expect(held.started).toHaveLength(0);
    expect(await pending()).toEqual({ waiting: 3, unacked: 0 });
    await w.stopPulling();
  });

  it("holds at most the grant's concurrency and hands each message the epoch it was pulled under", async () => {
    const gate = new HandGate();
    const held = new Held();
    const w = worker(gate, held);
    await publish(5);
    w.start();
    gate.set({ epoch: 7, concurrency: 2, quota: null });
    await soon(() => expect(held.started).toHaveLength(2));
    await sleep(200);
    expect(held.started).toHaveLength(2);
    expect(gate.lastHolding).toBe(2);
    expect(held.started.map((s) => s.epoch)).toEqual([7, 7]);
    for (let done = 0; done < 5; ) {
      await soon(() => expect(held.started.length).toBeGreaterThan(0));
      done += held.started.length;
      held.releaseAll();
    }
    expect(held.maxRunning).toBe(2);
    await soon(async () => expect(await pending()).toEqual({ waiting: 0, unacked: 0 }));
    await soon(() => expect(gate.lastHolding).toBe(0));
    await w.stopPulling();
  });

  it('starts no more than the quota under one epoch, and starts afresh under the next', async () => {
    const gate = new HandGate();
    const held = new Held();
    const w = worker(gate, held);
    await publish(4);
    w.start();
    gate.set({ epoch: 1, concurrency: null, quota: 1 });
    await soon(() => expect(held.started).toHaveLength(1));
    held.releaseAll();
    await sleep(200);
    expect(held.started).toHaveLength(0);
    expect((await pending()).waiting).toBe(3);
    gate.set({ epoch: 2, concurrency: null, quota: 2 });
    await soon(() => expect(held.started).toHaveLength(2));
    expect(held.started.map((s) => s.epoch)).toEqual([2, 2]);
    held.releaseAll();
    await w.stopPulling();
  });

  it('stops starting work when the grant is withdrawn and reports idle once what it holds is done', async () => {
    const gate = new HandGate();
    const held = new Held();
    const w = worker(gate, held, 2);
    await publish(4);
    w.start();
    gate.set({ epoch: 3, concurrency: null, quota: null });
    await soon(() => expect(held.started).toHaveLength(2));
    gate.set(null); // draining: the in-flight two finish, nothing new starts
    expect(gate.lastHolding).toBe(2);
    held.releaseAll();
    await soon(() => expect(gate.lastHolding).toBe(0));
    await sleep(200);
    expect(held.started).toHaveLength(0);
    expect(await pending()).toEqual({ waiting: 2, unacked: 0 });
    await w.stopPulling();
  });

  it('settles pulled messages through their reply subjects (nak redelivers, term ends)', async () => {
    await publish(2);
    const [first, second] = await pullNoWait(nc, Streams.work, 'extract', 2);
    expect(first.info.deliveryCount).toBe(1);
    expect(first.info.stream).toBe(Streams.work);
    expect(first.info.consumer).toBe('extract');
    first.nak();
    second.term();
    const [again] = await eventually(async () => {
      const got = await pullNoWait(nc, Streams.work, 'extract', 2);
      expect(got).toHaveLength(1);
      return got;
    });
    expect(again.seq).toBe(first.seq);
    expect(again.info.deliveryCount).toBe(2);
    expect(await again.ackAck()).toBe(true);
    await soon(async () => expect(await pending()).toEqual({ waiting: 0, unacked: 0 }));
    expect(await pullNoWait(nc, Streams.work, 'extract', 1)).toEqual([]);
  });
});
