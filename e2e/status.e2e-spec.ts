import { status as GrpcStatus } from '@grpc/grpc-js';
import { ClientProxyFactory, type ClientGrpcProxy } from '@nestjs/microservices';
import { firstValueFrom, toArray } from 'rxjs';
import { STAGES, type SubmissionStatus } from '@introeval/contracts';
import {
  credentialsMetadata,
  STATUS_SERVICE_NAME,
  statusGrpcOptions,
  toSubmissionStatus,
  type StatusServiceClient,
} from '@introeval/status-api';
import { INTRO_SCRIPTS, mp4FromWav, speechWav, type SystemHandle } from '@introeval/testing';
import { useSystem } from './environment.js';
import { postFile, type Accepted } from './support.js';

const ADMIN_TOKEN = 'e2e-admin-token-0123456789';

describe('the status service, end to end with the real processes', () => {
  const env = useSystem({ ADMIN_TOKEN });
  let system: SystemHandle;
  let proxy: ClientGrpcProxy;
  let client: StatusServiceClient;

  beforeAll(() => {
    system = env.system;
    proxy = ClientProxyFactory.create(statusGrpcOptions(system.statusUrl)) as unknown as ClientGrpcProxy;
    client = proxy.getService<StatusServiceClient>(STATUS_SERVICE_NAME);
  });
  afterAll(() => proxy?.close());

  it('WatchJob of a media job sees upload, transcribe, extract and rate in order and ends with the result', async () => {
    const wav = await speechWav(INTRO_SCRIPTS[0], 'slt', env.dir);
    const mp4 = await mp4FromWav(wav, env.dir);
    const { status, body } = await postFile(system.url, mp4);
    expect(status).toBe(202);
    const accepted = body as Accepted;

    const updates = await firstValueFrom(
      client.watchJob({ jobId: accepted.id }, credentialsMetadata({ receipt: accepted.receipt })).pipe(toArray()),
    );
    const seen: SubmissionStatus[] = updates.map((u) => toSubmissionStatus(u.view!));

    // Each stage in pipeline order, none skipped, none revisited.
    const stages = seen.map((s) => s.stage).filter((stage, i, all) => i === 0 || all[i - 1] !== stage);
    expect(stages).toEqual([...STAGES]);

    const last = seen.at(-1)!;
    expect(last.status).toBe('completed');
    expect(last.scores).not.toBeNull();
    expect(last.position).toEqual([]);
    expect(last.waitingFor).toBeNull();
    expect(last.eta).toBeNull();
    expect(seen.slice(0, -1).every((s) => s.status !== 'completed' && s.status !== 'failed')).toBe(true);

    // Alone in the system, nothing is ahead of it: its place in each stage never rises.
    for (const stage of STAGES) {
      const places = seen.flatMap((s) => s.position.filter((p) => p.stage === stage).map((p) => p.position));
      for (let i = 1; i < places.length; i++) expect(places[i]).toBeLessThanOrEqual(places[i - 1]);
      expect(places.every((p) => p <= 1)).toBe(true);
    }
    // While unfinished, it always says what it waits for, in words.
    for (const s of seen.slice(0, -1)) expect(s.waitingFor?.message.length).toBeGreaterThan(5);
    // The admin sees the same job; the queues are empty again and every stage has a live worker.
    const admin = await firstValueFrom(client.getJob({ jobId: accepted.id }, credentialsMetadata({ adminToken: ADMIN_TOKEN })));
    expect(admin.view!.job!.status).toBe('completed');
    const { queues } = await firstValueFrom(client.listQueues({}, credentialsMetadata({ adminToken: ADMIN_TOKEN })));
    for (const queue of queues) {
      expect(queue).toMatchObject({ waiting: 0, consumers: 1 });
      expect(queue.alarm ?? null).toBeNull();
    }
  });

  it('refuses a student the admin views', async () => {
    try {
      await firstValueFrom(client.listNodes({}, credentialsMetadata({ receipt: 'any' })));
      throw new Error('ListNodes answered a receipt');
    } catch (error) {
      expect((error as { code: number }).code).toBe(GrpcStatus.PERMISSION_DENIED);
    }
  });
});
