import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SERVICES, startNatsServer, startSystem, type NatsServerHandle, type SystemHandle } from '@introeval/testing';

export interface E2eEnvironment {
  nats: NatsServerHandle;
  system: SystemHandle;
  /** Scratch directory for fixtures and CLI state. */
  dir: string;
}

/**
 * Gives the calling `describe` its own nats-server, every service as a process (with `env` on top of the defaults)
 * and a scratch directory, started before its tests and torn down after them. Read the fields inside tests. `env`
 * may be a function, read when the services start: for settings known only once an earlier `beforeAll` has run
 * (the address of a stand-in server).
 */
export function useSystem(env: Record<string, string> | (() => Record<string, string>) = {}): E2eEnvironment {
  const environment = {} as E2eEnvironment;
  beforeAll(async () => {
    environment.dir = await mkdtemp(join(tmpdir(), 'introeval-e2e-'));
    environment.nats = await startNatsServer();
    environment.system = await startSystem({ natsUrl: environment.nats.url, env: typeof env === 'function' ? env() : env });
  });
  afterAll(async () => {
    // E2E_LOG_DIR=/some/dir keeps every service's output for a look after a failure.
    const logDir = process.env.E2E_LOG_DIR;
    if (logDir && environment.system) {
      await mkdir(logDir, { recursive: true });
      const suite = expect.getState().testPath?.split('/').pop() ?? 'suite';
      for (const name of SERVICES) await writeFile(join(logDir, `${suite}.${name}.log`), environment.system.logs(name));
    }
    await environment.system?.stop();
    await environment.nats?.dispose();
    if (environment.dir) await rm(environment.dir, { recursive: true, force: true });
  });
  return environment;
}
