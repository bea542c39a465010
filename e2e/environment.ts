import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startNatsServer, startSystem, type NatsServerHandle, type SystemHandle } from '@introeval/testing';

export interface E2eEnvironment {
  nats: NatsServerHandle;
  system: SystemHandle;
  /** Scratch directory for fixtures and CLI state. */
  dir: string;
}

/**
 * Gives the calling `describe` its own nats-server, every service as a process (with `env` on top of the defaults)
 * and a scratch directory, started before its tests and torn down after them. Read the fields inside tests.
 */
export function useSystem(env: Record<string, string> = {}): E2eEnvironment {
  const environment = {} as E2eEnvironment;
  beforeAll(async () => {
    environment.dir = await mkdtemp(join(tmpdir(), 'introeval-e2e-'));
    environment.nats = await startNatsServer();
    environment.system = await startSystem({ natsUrl: environment.nats.url, env });
  });
  afterAll(async () => {
    await environment.system?.stop();
    await environment.nats?.dispose();
    if (environment.dir) await rm(environment.dir, { recursive: true, force: true });
  });
  return environment;
}
