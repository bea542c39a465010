#!/usr/bin/env node
// `npm start`: the whole system on one machine with its embedded engines (no GPU, no Ollama).
// Installs what is missing, starts nats-server (unless NATS_URL points at one), then every service as its own
// process; restarts a service that crashes; Ctrl-C / SIGTERM stops everything, services first, NATS last.
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { ensureNpmPackages } from './lib/npm-deps.mjs';
import { ensureSystemPackages, RUNTIME_PACKAGES } from './lib/system-deps.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
/**
 * Every service: the gateway, one app per stage (from the stage table, read once the build exists), the scheduler and
 * the gRPC status service.
 */
let SERVICES = [];
const STOP_GRACE_MS = 40_000;
const children = new Map();
/** Services that have said they are ready (over IPC) since they last started. */
const ready = new Set();
let stopping = false;
let nats = null;

function log(message) {
  console.log(`[introeval] ${message}`);
}

function prefixLines(stream, name) {
  let buffered = '';
  stream.on('data', (chunk) => {
    buffered += chunk.toString();
    const lines = buffered.split('\n');
    buffered = lines.pop();
    for (const line of lines) console.log(`${name.padEnd(13)}| ${line}`);
  });
}

function portFree(port) {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

async function pickPort(preferred) {
  if (await portFree(preferred)) return preferred;
  return new Promise((resolve) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** A nats-server left by a launcher that was killed with -9 still holds the store: stop it first. */
function reapStaleNats(pidFile) {
  try {
    const pid = Number(readFileSync(pidFile, 'utf8'));
    const command = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    if (command.startsWith('nats-server')) {
      log(`stopping nats-server ${pid} left over from an earlier run`);
      process.kill(pid, 'SIGTERM');
      return true;
    }
  } catch {
    // no pid file, or that process is gone
  }
  return false;
}

async function startNats() {
  const pidFile = join(root, '.data', 'nats.pid');
  mkdirSync(join(root, '.data'), { recursive: true });
  if (reapStaleNats(pidFile)) await new Promise((r) => setTimeout(r, 500));
  const port = await pickPort(4222);
  const monitor = await pickPort(8222);
  const store = join(root, '.data', 'nats');
  mkdirSync(store, { recursive: true });
  nats = spawn('nats-server', ['-js', '-a', '127.0.0.1', '-p', String(port), '-m', String(monitor), '-sd', store], {
    stdio: ['ignore', 'pipe', 'pipe'],
    // Its own process group: Ctrl-C must not stop NATS while the services still drain through it; stop() ends it
    // last (and the pid file lets the next start reap it if this launcher is killed with -9).
    detached: true,
  });
  writeFileSync(pidFile, String(nats.pid));
  prefixLines(nats.stderr, 'nats');
  nats.on('exit', (code) => {
    rmSync(pidFile, { force: true });
    if (!stopping) {
      log(`nats-server exited (${code}); stopping`);
      void stop(1);
    }
  });
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline) {
    const ok = await fetch(`http://127.0.0.1:${monitor}/healthz?js-enabled-only=true`).then((r) => r.ok, () => false);
    if (ok) {
      log(`nats-server with JetStream on nats://127.0.0.1:${port} (data in .data/nats)`);
      return `nats://127.0.0.1:${port}`;
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('nats-server did not become healthy within 15 s');
}

function startService(name, env, restarts = 0) {
  const child = spawn(process.execPath, ['--enable-source-maps', join(root, 'apps', name, 'dist', 'main.js')], {
    cwd: root,
    env,
    // The IPC channel lets a service notice when this launcher dies, even by kill -9, and stop itself.
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  prefixLines(child.stdout, name);
  prefixLines(child.stderr, name);
  children.set(name, child);
  child.on('message', (message) => message?.type === 'ready' && ready.add(name));
  const startedAt = Date.now();
  child.on('exit', (code, signal) => {
    children.delete(name);
    ready.delete(name);
    if (stopping) return;
    // A service that keeps dying right after start is broken, not unlucky: stop instead of looping.
    const quick = Date.now() - startedAt < 10_000;
    if (quick && restarts >= 4) {
      log(`${name} keeps exiting (${signal ?? code}); stopping everything`);
      void stop(1);
      return;
    }
    const delay = Math.min(10_000, 500 * 2 ** restarts);
    log(`${name} exited (${signal ?? code}); restarting in ${delay} ms`);
    setTimeout(() => !stopping && startService(name, env, quick ? restarts + 1 : 0), delay);
  });
}

async function waitUntilReady(url) {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline && !stopping) {
    if (ready.size === SERVICES.length && (await fetch(`${url}/readyz`).then((r) => r.ok, () => false))) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  if (stopping) return false;
  const waiting = SERVICES.filter((name) => !ready.has(name));
  throw new Error(`not ready within 60 s: ${waiting.length > 0 ? waiting.join(', ') : `the gateway at ${url}`}`);
}

async function stop(code) {
  if (stopping) return;
  stopping = true;
  log('stopping services');
  const exits = [...children.values()].map(
    (child) =>
      new Promise((resolve) => {
        const timer = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
        child.once('exit', () => {
          clearTimeout(timer);
          resolve();
        });
        child.kill('SIGTERM');
      }),
  );
  await Promise.all(exits);
  if (nats && nats.exitCode === null) {
    await new Promise((resolve) => {
      nats.once('exit', resolve);
      nats.kill('SIGTERM');
    });
  }
  log('stopped');
  process.exit(code);
}

async function main() {
  ensureSystemPackages(RUNTIME_PACKAGES);
  ensureNpmPackages(root);
  // Only now: the stage table is TypeScript, and ensureNpmPackages has just built it. Its module imports nothing.
  const { STAGE_SERVICES } = await import(pathToFileURL(join(root, 'libs', 'contracts', 'dist', 'stage-table.js')).href);
  SERVICES = ['gateway', ...STAGE_SERVICES, 'scheduler', 'status'];
  process.once('SIGINT', () => void stop(0));
  process.once('SIGTERM', () => void stop(0));
  const natsUrl = process.env.NATS_URL || (await startNats());
  const port = Number(process.env.PORT || 8080);
  // The status service's gRPC port; every service learns its address as STATUS_URL (the gateway is its client).
  const statusPort = Number(process.env.STATUS_GRPC_PORT || (await pickPort(50051)));
  const env = {
    ...process.env,
    NATS_URL: natsUrl,
    PORT: String(port),
    STATUS_GRPC_PORT: String(statusPort),
    STATUS_URL: process.env.STATUS_URL || `127.0.0.1:${statusPort}`,
    WORK_DIR: process.env.WORK_DIR || join(root, '.data', 'work'),
  };
  // Colours only for a terminal: piped into a file or a journal they are noise.
  if (!process.stdout.isTTY) env.NO_COLOR = '1';
  for (const name of SERVICES) startService(name, env);
  const url = `http://localhost:${port}`;
  if (!(await waitUntilReady(url))) return;
  log(`ready: ${url}, gRPC status on ${env.STATUS_URL}  (try: npx introeval submit my-intro.mp4 --wait)  Ctrl-C stops everything`);
}

main().catch((error) => {
  console.error(`[introeval] ${error.message}`);
  void stop(1);
});
