import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { STAGE_SERVICES } from '@introeval/contracts';
import { eventually } from './eventually.js';
import { freePort } from './free-port.js';

/** Every service of the system: the gateway, one app per stage (from the stage table), the GPU scheduler, status. */
export const SERVICES = ['gateway', ...STAGE_SERVICES, 'scheduler', 'status'] as const;
export type ServiceName = (typeof SERVICES)[number];

/** The repository root (this file is libs/testing/src/system.ts, or its build in libs/testing/dist). */
export const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

export interface SystemHandle {
  /** The gateway's base URL. */
  readonly url: string;
  /** The gRPC status service's address (host:port), also given to every service as STATUS_URL. */
  readonly statusUrl: string;
  /** The services' WORK_DIR (scratch space). */
  readonly workDir: string;
  /** Everything the services printed, newest last, per service. */
  logs(name: ServiceName): string;
  /** Sends a signal to one service (e.g. SIGKILL to simulate a crash) and waits for it to exit. */
  kill(name: ServiceName, signal?: NodeJS.Signals): Promise<void>;
  /** Starts a stopped service again and waits until it is ready. */
  start(name: ServiceName): Promise<void>;
  /** Stops every service with SIGTERM (graceful drain) and removes the scratch directory. */
  stop(): Promise<void>;
}

/**
 * Starts the real services (their built `dist/main.js`) as separate processes against a NATS server, the way
 * `npm start` does, with a free gateway port and a private scratch directory. Needs `npm run build` first.
 */
export async function startSystem(options: { natsUrl: string; env?: Record<string, string> }): Promise<SystemHandle> {
  const port = await freePort();
  const statusPort = await freePort();
  const statusUrl = `127.0.0.1:${statusPort}`;
  const workDir = await mkdtemp(join(tmpdir(), 'introeval-e2e-'));
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NATS_URL: options.natsUrl,
    PORT: String(port),
    HOST: '127.0.0.1',
    STATUS_HOST: '127.0.0.1',
    STATUS_GRPC_PORT: String(statusPort),
    STATUS_URL: statusUrl,
    WORK_DIR: workDir,
    LOG_LEVEL: 'log',
    NO_COLOR: '1',
    ...options.env,
  };
  delete env.NODE_OPTIONS; // jest's --experimental-vm-modules is not for the services
  const children = new Map<ServiceName, ChildProcess>();
  const output = new Map<ServiceName, string>(SERVICES.map((name) => [name, '']));
  const url = `http://127.0.0.1:${port}`;

  const start = async (name: ServiceName): Promise<void> => {
    const child = spawn(process.execPath, ['--enable-source-maps', join(REPO_ROOT, 'apps', name, 'dist', 'main.js')], {
      cwd: REPO_ROOT,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    children.set(name, child);
    const append = (chunk: Buffer) => output.set(name, (output.get(name)! + chunk.toString()).slice(-200_000));
    child.stdout?.on('data', append);
    child.stderr?.on('data', append);
    const marker = output.get(name)!.length;
    await eventually(
      async () => {
        if (child.exitCode !== null) throw new Error(`${name} exited with ${child.exitCode}:\n${output.get(name)!.slice(marker)}`);
        if (name === 'gateway') return (await fetch(`${url}/readyz`).catch(() => null))?.ok === true;
        return /\b(worker|scheduler|status) ready\b/.test(output.get(name)!.slice(marker));
      },
      { timeoutMs: 30_000, intervalMs: 50, what: `${name} to become ready` },
    ).catch((error: Error) => {
      throw new Error(`${error.message}\n--- ${name} output ---\n${output.get(name)!.slice(marker)}`);
    });
  };

  const kill = async (name: ServiceName, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> => {
    const child = children.get(name);
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    await new Promise<void>((resolve) => {
      child.once('exit', () => resolve());
      child.kill(signal);
    });
    children.delete(name);
  };

  const stop = async (): Promise<void> => {
    await Promise.all(SERVICES.map((name) => kill(name, 'SIGTERM')));
    await rm(workDir, { recursive: true, force: true });
  };

  try {
    await Promise.all(SERVICES.map((name) => start(name)));
  } catch (error) {
    await stop();
    throw error;
  }
  return { url, statusUrl, workDir, logs: (name) => output.get(name) ?? '', kill, start, stop };
}
