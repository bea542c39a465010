import { randomUUID } from 'node:crypto';
import { status as GrpcStatus } from '@grpc/grpc-js';
import { jetstream, jetstreamManager, type JetStreamManager } from '@nats-io/jetstream';
import type { KV } from '@nats-io/kv';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { Logger } from '@nestjs/common';
import { firstValueFrom, take, toArray, type Observable, type Subscription } from 'rxjs';
import { STAGES, Streams, Subjects, newJobRecord, type JobRecord, type Stage, type SubmissionStatus } from '@introeval/contracts';
import { loadConfig } from '@introeval/config';
import { ensureStageConsumer, ensureTopology, JetStreamPublisher, openStageWorkerBucket, StageHeartbeat } from '@introeval/messaging';
import { connectNats } from '@introeval/nats';
import { STATUS_SERVICE, toSubmissionStatus, type StatusServiceClient, type WatchJobResponse } from '@introeval/status-api';
import { JobStore, openBuckets, ReceiptSigner } from '@introeval/storage';
import { eventually, freePort, startNatsServer, type NatsServerHandle } from '@introeval/testing';
import { startStatusApp, type StatusApp } from './status.app.js';
import { StatusConfig } from './status.config.js';
import { failureCode, healthClient, meta, reflectionClient, statusClient } from './status.fixture.js';
import { NO_WORKER_ALARM } from './views/system-view.js';

const ADMIN = 'status-spec-admin-token';
const SECRET = 'status-spec-receipt-secret';

describe('the status service over real gRPC and a real nats-server', () => {
  let nats: NatsServerHandle;
  let tc: NatsConnection;
  let statusNc: NatsConnection;
  let jsm: JetStreamManager;
  let jobs: JobStore;
  let receipts: ReceiptSigner;
  let publisher: JetStreamPublisher;
  let heartbeatKv: KV;
  let heartbeat: StageHeartbeat;
  let status: StatusApp;
  let client: StatusServiceClient;
  let closeClient: () => void;
  const logger = new Logger('spec');

  beforeAll(async () => {
    nats = await startNatsServer();
    tc = await connect({ servers: nats.url });
    await ensureTopology(tc);
    jsm = await jetstreamManager(tc);
    // Every stage's durable consumer exists (as once its workers have started) but nothing pulls: jobs stay queued.
    for (const stage of STAGES) await ensureStageConsumer(jsm, stage, { concurrency: 1, ackWaitMs: 30_000, maxDeliver: 3 });
    jobs = new JobStore((await openBuckets(tc)).jobs);
    receipts = await ReceiptSigner.open(null as never, SECRET);
    publisher = new JetStreamPublisher(tc);
    // One extraction worker is connected (its heartbeat is live); no rating worker is.
    heartbeatKv = await openStageWorkerBucket(tc, 1000);
    heartbeat = new StageHeartbeat({ kv: heartbeatKv, stage: 'extract', service: 'extraction', workerId: 'extraction-spec-1', node: null, everyMs: 500, logger });
    heartbeat.attach({ running: 0, slots: 1 });
    heartbeat.start();

    statusNc = await connectNats(nats.url, 'status-spec');
    const config = loadConfig(StatusConfig, {
      NATS_URL: nats.url,
      STATUS_HOST: '127.0.0.1',
      STATUS_GRPC_PORT: String(await freePort()),
      ADMIN_TOKEN: ADMIN,
      RECEIPT_SECRET: SECRET,
      STATUS_REFRESH_MS: '100',
      LOG_LEVEL: 'warn',
    });
    status = await startStatusApp(statusNc, config);
    ({ client, close: closeClient } = statusClient(status.url));
  });

  afterAll(async () => {
    closeClient?.();
    await status?.app.close();
    await heartbeat?.stop();
    await statusNc?.close();
    await tc?.close();
    await nats?.dispose();
  });

  /** A text submission queued for extraction (as the gateway leaves it), in the order of the calls. */
  async function queueText(studentId: string, stage: Stage = 'extract'): Promise<JobRecord> {
    const record = newJobRecord({
      id: randomUUID(),
      source: 'text',
      studentId,
      media: null,
      transcript: { text: 'Hello, I am a student of computing.', words: [], engine: 'text', model: null, durationSec: null },
      traceparent: null,
      now: new Date(),
    });
    record.stage = stage;
    await jobs.create(record);
    await publisher.publish(Subjects[stage], { jobId: record.id });
    return record;
  }

  const asOwner = (record: JobRecord) => meta({ receipt: receipts.receiptFor(record.id) });
  const asAdmin = meta({ adminToken: ADMIN });
  const getJob = async (record: JobRecord): Promise<SubmissionStatus> =>
    toSubmissionStatus((await firstValueFrom(client.getJob({ jobId: record.id }, asOwner(record)))).view!);

  describe('refuses callers without the right credentials', () => {
    let mine: JobRecord;
    let theirs: JobRecord;
    beforeAll(async () => {
      mine = await queueText('stu-auth-1');
      theirs = await queueText('stu-auth-2');
    });

    it.each([
      ['no credentials', () => meta({}), GrpcStatus.UNAUTHENTICATED, /a receipt is required/],
      ['a wrong admin token', () => meta({ adminToken: 'not-the-admin-token-at-all' }), GrpcStatus.PERMISSION_DENIED, /admin token was not accepted/],
      ["another job's receipt", () => meta({ receipt: receipts.receiptFor(theirs.id) }), GrpcStatus.PERMISSION_DENIED, /does not belong/],
      ['a forged receipt', () => meta({ receipt: 'forged-receipt' }), GrpcStatus.PERMISSION_DENIED, /does not belong/],
    ])('GetJob and WatchJob with %s', async (_what, credentials, code, details) => {
      for (const call of [client.getJob({ jobId: mine.id }, credentials()), client.watchJob({ jobId: mine.id }, credentials())]) {
        const failure = await failureCode(call);
        expect(failure.code).toBe(code);
        expect(failure.details).toMatch(details);
        // Nothing about the job leaks into the refusal.
        expect(failure.details).not.toContain(mine.id);
      }
    });

    it('a receipt for a different id: refused before the lookup, so an unknown id looks the same', async () => {
      const unknown = randomUUID();
      const forOther = await failureCode(client.getJob({ jobId: unknown }, asOwner(mine)));
      expect(forOther.code).toBe(GrpcStatus.PERMISSION_DENIED);
      // The admin learns that it does not exist; a malformed id is named as such to anyone.
      expect((await failureCode(client.getJob({ jobId: unknown }, asAdmin))).code).toBe(GrpcStatus.NOT_FOUND);
      const malformed = await failureCode(client.getJob({ jobId: 'job-1' }, asAdmin));
      expect(malformed).toEqual({ code: GrpcStatus.INVALID_ARGUMENT, details: 'job_id must be a job id (a v4 UUID), got "job-1"' });
    });

    it.each([
      ['ListQueues with a receipt', () => client.listQueues({}, meta({ receipt: receipts.receiptFor(mine.id) })), GrpcStatus.PERMISSION_DENIED],
      ['ListNodes with a receipt', () => client.listNodes({}, meta({ receipt: receipts.receiptFor(mine.id) })), GrpcStatus.PERMISSION_DENIED],
      ['WatchSystem with a receipt', () => client.watchSystem({}, meta({ receipt: receipts.receiptFor(mine.id) })), GrpcStatus.PERMISSION_DENIED],
      ['ListQueues without credentials', () => client.listQueues({}, meta({})), GrpcStatus.UNAUTHENTICATED],
      ['WatchSystem without credentials', () => client.watchSystem({}, meta({})), GrpcStatus.UNAUTHENTICATED],
      ['ListNodes with a wrong token', () => client.listNodes({}, meta({ adminToken: 'wrong-admin-token-0000' })), GrpcStatus.PERMISSION_DENIED],
    ])('refuses the admin-only %s', async (_what, call, code) => {
      const failure = await failureCode(call());
      expect(failure.code).toBe(code);
    });

    it('lets the owner and the admin read the job', async () => {
      expect((await getJob(mine)).id).toBe(mine.id);
      const admin = await firstValueFrom(client.getJob({ jobId: theirs.id }, asAdmin));
      expect(admin.view!.job!.id).toBe(theirs.id);
    });
  });

  describe('a queue of waiting jobs', () => {
    let queued: JobRecord[];
    beforeAll(async () => {
      // Empty the extraction queue of earlier tests' jobs: this one is about order.
      await jsm.streams.purge(Streams.work, { filter: Subjects.extract });
      queued = [];
      for (let i = 0; i < 4; i++) queued.push(await queueText(`stu-q-${i}`));
    });

    it('gives each job its place in queue order, what it waits for, and an ETA in the future with a range', async () => {
      const seen = await eventually(async () => {
        const statuses = await Promise.all(queued.map(getJob));
        return statuses.every((s) => s.position[0]?.queued === queued.length) ? statuses : undefined;
      }, { what: 'the snapshot to show all four jobs' });
      seen.forEach((s, i) => {
        expect(s.position[0]).toEqual({ stage: 'extract', position: i + 1, queued: 4, current: true });
        expect(s.position.map((p) => p.stage)).toEqual(['extract', 'rate']);
        expect(s.waitingFor).toMatchObject({ code: 'queued', ahead: i, node: null });
        expect(s.waitingFor!.message).toBe(i === 0 ? 'next in line for profile extraction' : `queued behind ${i} job${i === 1 ? '' : 's'} for profile extraction`);
        // Rating has no worker yet: the forecast cannot finish these jobs, so they get no ETA rather than a guess.
        expect(s.eta).toBeNull();
      });
    });

    it('gives ETAs that follow queue order once the next stage has a worker', async () => {
      const rating = new StageHeartbeat({ kv: heartbeatKv, stage: 'rate', service: 'rating', workerId: 'rating-spec-1', node: null, everyMs: 500, logger });
      rating.attach({ running: 0, slots: 1 });
      rating.start();
      try {
        const seen = await eventually(async () => {
          const statuses = await Promise.all(queued.map(getJob));
          return statuses.every((s) => s.eta !== null) ? statuses : undefined;
        }, { what: 'ETAs for every job' });
        const now = Date.now();
        for (const s of seen) {
          expect(Date.parse(s.eta!.completeAt)).toBeGreaterThan(now);
          expect(Date.parse(s.eta!.low)).toBeLessThanOrEqual(Date.parse(s.eta!.completeAt));
          expect(Date.parse(s.eta!.completeAt)).toBeLessThanOrEqual(Date.parse(s.eta!.high));
          expect(s.eta!.remainingSec).toBeGreaterThan(0);
        }
        const completions = seen.map((s) => Date.parse(s.eta!.completeAt));
        expect([...completions].sort((a, b) => a - b)).toEqual(completions);
      } finally {
        await rating.stop();
      }
    });

    it('gives a job between two stages (record moved on, message not yet queued) an ETA behind everyone waiting', async () => {
      const rating = new StageHeartbeat({ kv: heartbeatKv, stage: 'rate', service: 'rating', workerId: 'rating-spec-2', node: null, everyMs: 500, logger });
      rating.attach({ running: 0, slots: 1 });
      rating.start();
      const inTransit = newJobRecord({
        id: randomUUID(),
        source: 'text',
        studentId: 's-transit',
        media: null,
        transcript: { text: 'Hello, I am in between.', words: [], engine: 'text', model: null, durationSec: null },
        traceparent: null,
        now: new Date(),
      });
      await jobs.create(inTransit); // and nothing published: the snapshot finds it in no queue
      try {
        const [mine, last] = await eventually(async () => {
          const statuses = await Promise.all([getJob(inTransit), getJob(queued.at(-1)!)]);
          return statuses.every((s) => s.eta !== null) ? statuses : undefined;
        }, { what: 'an ETA for the job in transit' });
        expect(mine.position[0]).toEqual({ stage: 'extract', position: queued.length + 1, queued: queued.length + 1, current: true });
        expect(Date.parse(mine.eta!.completeAt)).toBeGreaterThanOrEqual(Date.parse(last.eta!.completeAt));
      } finally {
        await rating.stop();
        await jobs.delete(inTransit.id);
      }
    });

    it('lists the queue in order for the admin, with the students, the consumer and no alarm', async () => {
      const { queues, observedAt } = await firstValueFrom(client.listQueues({}, asAdmin));
      expect(observedAt).toBeDefined();
      expect(queues.map((q) => q.stage)).toEqual([...STAGES]);
      const extract = queues.find((q) => q.stage === 'extract')!;
      expect(extract).toMatchObject({ waiting: 4, inFlight: 0, consumers: 1, deadLetters: 0 });
      expect(extract.alarm ?? null).toBeNull();
      expect(extract.jobs.map((j) => [j.jobId, j.studentId, j.position])).toEqual(queued.map((r, i) => [r.id, r.studentId, i + 1]));
      expect(extract.oldestWaitingSec).toBeGreaterThanOrEqual(0);
    });

    it('raises "no worker is consuming" for a queue nobody takes, and tells its student so', async () => {
      const stranded = await queueText('stu-rate', 'rate');
      const { queues } = await eventually(async () => {
        const answer = await firstValueFrom(client.listQueues({}, asAdmin));
        return answer.queues.find((q) => q.stage === 'rate')!.waiting > 0 ? answer : undefined;
      });
      expect(queues.find((q) => q.stage === 'rate')).toMatchObject({ consumers: 0, alarm: NO_WORKER_ALARM });
      const view = await getJob(stranded);
      expect(view.waitingFor).toMatchObject({ code: 'no-worker' });
      expect(view.waitingFor!.message).toMatch(/no worker is taking rating jobs/);
      expect(view.eta).toBeNull();
    });
  });

  describe('WatchJob', () => {
    it('follows the job as a worker takes it and ends with the final result', async () => {
      await jsm.streams.purge(Streams.work, { filter: Subjects.extract });
      const record = await queueText('stu-watch');
      const views: WatchJobResponse[] = [];
      const done = new Promise<void>((resolve, reject) => {
        client.watchJob({ jobId: record.id }, asOwner(record)).subscribe({ next: (v) => views.push(v), error: reject, complete: resolve });
      });
      await eventually(() => views.length >= 1, { what: 'the first update' });
      expect(toSubmissionStatus(views[0].view!).waitingFor!.code).toBe('queued');

      // A worker takes it: pulls its message and records the attempt, as JobLifecycle does.
      const consumer = await jetstream(tc).consumers.get(Streams.work, 'extract');
      const msg = (await consumer.next({ expires: 2000 }))!;
      await jobs.mutate(record.id, (r) => {
        r.status = 'processing';
        r.stages.extract = { startedAt: new Date().toISOString(), finishedAt: null, attempts: 1 };
        return r;
      });
      await eventually(() => views.some((v) => v.view!.waitingFor?.code === 'processing'), { what: 'processing' });
      const processing = toSubmissionStatus(views.find((v) => v.view!.waitingFor?.code === 'processing')!.view!);
      expect(processing.position[0]).toEqual({ stage: 'extract', position: 0, queued: 0, current: true });
      expect(processing.waitingFor!.message).toBe('Reading your profile from the transcript now');

      // It fails for good (the shortest way to a final record here): the stream carries that and ends.
      msg.term();
      await jobs.mutate(record.id, (r) => {
        r.status = 'failed';
        r.error = { code: 'INTERNAL', message: 'spec: the job ended' };
        r.completedAt = new Date().toISOString();
        return r;
      });
      await done;
      const last = toSubmissionStatus(views.at(-1)!.view!);
      expect(last).toMatchObject({ status: 'failed', error: { code: 'INTERNAL' }, position: [], waitingFor: null, eta: null });
      // Every update says something new.
      const keys = views.map((v) => JSON.stringify({ ...v.view, eta: undefined }));
      expect(new Set(keys).size).toBe(keys.length);
      await eventually(() => status.snapshots.usage.subscribers === 0 && !status.snapshots.usage.polling, { what: 'the snapshot timer to stop' });
    });

    it('sees every stage of the job, even ones quicker than a snapshot', async () => {
      const record = await queueText('stu-quick');
      const stages: string[] = [];
      const done = new Promise<void>((resolve, reject) => {
        client.watchJob({ jobId: record.id }, asOwner(record)).subscribe({
          next: (v) => stages.at(-1) !== v.view!.job!.stage && stages.push(v.view!.job!.stage),
          error: reject,
          complete: resolve,
        });
      });
      await eventually(() => stages.length === 1 && status.records.watching, { what: 'the first update' });
      // Three writes within a few milliseconds: the snapshot (every 100 ms) alone would miss the middle one.
      await jobs.mutate(record.id, (r) => ({ ...r, stage: 'rate', status: 'processing' }));
      await jobs.mutate(record.id, (r) => ({ ...r, status: 'completed', completedAt: new Date().toISOString() }));
      await done;
      expect(stages).toEqual(['extract', 'rate']);
    });

    it('emits a finished job once, then ends', async () => {
      const record = await queueText('stu-done');
      await jobs.mutate(record.id, (r) => ({ ...r, status: 'completed', completedAt: new Date().toISOString() }));
      const all = await firstValueFrom(client.watchJob({ jobId: record.id }, asOwner(record)).pipe(toArray()));
      expect(all).toHaveLength(1);
      expect(all[0].view!.job!.status).toBe('completed');
    });

    it.each(['WatchJob', 'WatchSystem'])('%s: a client that cancels releases its subscription and the timer', async (what) => {
      const record = await queueText('stu-cancel');
      const stream: Observable<unknown> = what === 'WatchJob' ? client.watchJob({ jobId: record.id }, asOwner(record)) : client.watchSystem({}, asAdmin);
      let received = 0;
      const subscription: Subscription = stream.subscribe({ next: () => received++ });
      await eventually(() => received > 0 && status.snapshots.usage.subscribers === 1 && status.snapshots.usage.polling, {
        what: 'the stream to be served',
      });
      subscription.unsubscribe();
      await eventually(() => status.snapshots.usage.subscribers === 0 && !status.snapshots.usage.polling, { what: 'the release' });
      expect(status.records.watching).toBe(false);
    });
  });

  it('WatchSystem sends the queues and nodes, and again when they change', async () => {
    const updates = client.watchSystem({}, asAdmin).pipe(take(2), toArray());
    const received = firstValueFrom(updates);
    await new Promise((resolve) => setTimeout(resolve, 300));
    await queueText('stu-system');
    const [first, second] = await received;
    expect(first.queues.map((q) => q.stage)).toEqual([...STAGES]);
    expect(first.nodes).toEqual([]);
    const waiting = (u: typeof first) => u.queues.find((q) => q.stage === 'extract')!.waiting;
    expect(waiting(second)).toBe(waiting(first) + 1);
  });

  it('ListNodes: no GPU nodes on this machine', async () => {
    const { nodes } = await firstValueFrom(client.listNodes({}, asAdmin));
    expect(nodes).toEqual([]);
  });

  it('answers server reflection: a reflection client lists the StatusService and Health', async () => {
    const reflection = reflectionClient(status.url);
    const call = reflection.ServerReflectionInfo();
    const answer = new Promise<{ list_services_response: { service: { name: string }[] } }>((resolve, reject) => {
      call.on('data', resolve);
      call.on('error', reject);
    });
    call.write({ list_services: '' });
    const services = (await answer).list_services_response.service.map((s) => s.name);
    call.end();
    reflection.close();
    expect(services).toEqual(expect.arrayContaining([STATUS_SERVICE, 'grpc.health.v1.Health']));
  });

  // Last: it stops and restarts NATS.
  it('says NOT_SERVING on grpc.health.v1 while NATS is unreachable, and SERVING once it is back', async () => {
    const health = healthClient(status.url);
    const check = (service: string) =>
      new Promise<string>((resolve, reject) => health.check({ service }, (error, res) => (error ? reject(error) : resolve(res.status))));
    expect(await check('')).toBe('SERVING');
    expect(await check(STATUS_SERVICE)).toBe('SERVING');
    const watched: string[] = [];
    const watch = health.watch({ service: STATUS_SERVICE });
    watch.on('data', (m: { status: string }) => watched.push(m.status));
    watch.on('error', () => undefined);

    await nats.stop();
    await eventually(async () => (await check(STATUS_SERVICE)) === 'NOT_SERVING', { what: 'NOT_SERVING' });
    expect(await check('')).toBe('NOT_SERVING');
    // A call that needs NATS says UNAVAILABLE meanwhile (with a fresh snapshot needed, not a cached one).
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect((await failureCode(client.listQueues({}, asAdmin))).code).toBe(GrpcStatus.UNAVAILABLE);

    await nats.start();
    await eventually(async () => (await check(STATUS_SERVICE)) === 'SERVING', { timeoutMs: 15_000, what: 'SERVING again' });
    await eventually(() => watched.join(',') === 'SERVING,NOT_SERVING,SERVING', { what: 'Watch to see both flips' });
    watch.cancel();
    health.close();
  });
});
