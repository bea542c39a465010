import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eventually } from './eventually.js';
import { freePort } from './free-port.js';

export interface NatsServerHandle {
  /** nats://127.0.0.1:PORT */
  readonly url: string;
  readonly port: number;
  readonly monitorUrl: string;
  readonly storeDir: string;
  /** Stops the server gracefully; the store survives (for restart tests). */
  stop(): Promise<void>;
  /** Starts it again on the same port with the same store. */
  start(): Promise<void>;
  /** Stops the server and deletes its store. */
  dispose(): Promise<void>;
}

/**
 * Starts a real nats-server with JetStream on a free loopback port and a temporary store.
 * Every test suite gets its own server: never a fixed port, never a shared one.
 */
export async function startNatsServer(): Promise<NatsServerHandle> {
  const port = await freePort();
  const monitorPort = await freePort();
  const storeDir = await mkdtemp(join(tmpdir(), 'introeval-nats-'));
  const monitorUrl = `http://127.0.0.1:${monitorPort}`;
  let child: ChildProcess | null = null;
  let stderr = '';

  const start = async (): Promise<void> => {
    stderr = '';
    child = spawn(
      'nats-server',
      ['-js', '-a', '127.0.0.1', '-p', String(port), '-m', String(monitorPort), '-sd', storeDir],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    );
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString()).slice(-4000);
    });
    const spawned = child;
    const exited = new Promise<never>((_, reject) => {
      spawned.once('error', (error) =>
        reject(new Error(`cannot start nats-server (${error.message}); install it: apt-get install -y nats-server`)),
      );
      spawned.once('exit', (code) => reject(new Error(`nats-server exited with ${code}: ${stderr}`)));
    });
    exited.catch(() => undefined);
    await Promise.race([
      exited,
      eventually(
        async () => (await fetch(`${monitorUrl}/healthz?js-enabled-only=true`).catch(() => null))?.ok === true,
        { timeoutMs: 10_000, intervalMs: 20, what: 'nats-server to become healthy' },
      ),
    ]);
  };

  const stop = async (): Promise<void> => {
    const running = child;
    child = null;
    if (!running || running.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      running.once('exit', () => resolve());
      running.kill('SIGTERM');
    });
  };

  await start();
  return {
    url: `nats://127.0.0.1:${port}`,
    port,
    monitorUrl,
    storeDir,
    stop,
    start,
    dispose: async () => {
      await stop();
      await rm(storeDir, { recursive: true, force: true });
    },
  };
}
