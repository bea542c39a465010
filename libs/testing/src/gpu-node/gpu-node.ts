import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import type { GpuNodeHandle, GpuNodeOptions } from './gpu-node.types.js';
import { apiServer } from './http-kit.js';
import { NodeState } from './node-state.js';
import { ollamaFace } from './ollama-routes.js';
import { speachesFace } from './speaches-routes.js';

/** Ollama's and speaches' default idle time before a model unloads (OLLAMA_KEEP_ALIVE=5m, STT_MODEL_TTL=300). */
const DEFAULT_IDLE_SEC = 300;

/**
 * Starts a stand-in for one GPU node: one card (VRAM budget, load times, a processor-sharing latency model) behind
 * the two real HTTP APIs that share it in production, Ollama and speaches, on two listeners. Times are simulated:
 * `timeScale` simulated seconds pass per real second. What it models, and what not: gpu-node/index.ts.
 */
export async function startGpuNode(options: GpuNodeOptions): Promise<GpuNodeHandle> {
  const state = new NodeState({
    vramMb: options.vramMb,
    models: options.models,
    timeScale: options.timeScale ?? 1,
    unloadLagSec: options.unloadLagSec ?? 0,
    ollamaKeepAliveSec: options.ollamaKeepAliveSec ?? DEFAULT_IDLE_SEC,
    speachesTtlSec: options.speachesTtlSec ?? DEFAULT_IDLE_SEC,
    brain: options.brain,
  });
  const host = options.host ?? '127.0.0.1';
  const ollama = apiServer(state, ollamaFace(state));
  const speaches = apiServer(state, speachesFace(state));
  try {
    await listen(ollama, host, options.ollamaPort ?? 0);
    await listen(speaches, host, options.speachesPort ?? 0);
  } catch (error) {
    await Promise.all([stop(ollama), stop(speaches)]);
    state.clock.close();
    throw error;
  }
  const urlOf = (server: Server) => {
    const { port } = server.address() as AddressInfo;
    return `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  };
  let closing: Promise<void> | null = null;
  return {
    ollamaUrl: urlOf(ollama),
    speachesUrl: urlOf(speaches),
    now: () => state.clock.now(),
    busyIntervals: () => {
      state.clock.advance();
      return state.busyLog.map((b) => ({ ...b }));
    },
    residency: () => {
      state.clock.advance();
      return state.card.residency();
    },
    loads: () => {
      state.clock.advance();
      return state.card.loads();
    },
    oomErrors: () => state.card.oomErrors(),
    usedVramMb: () => {
      state.clock.advance();
      return state.card.usedMb();
    },
    requests: () => state.requestLog.map((r) => ({ ...r })),
    inject: (fault) => state.faults.add(fault),
    close: () => {
      closing ??= (async () => {
        state.clock.close();
        await Promise.all([stop(ollama), stop(speaches)]);
      })();
      return closing;
    },
  };
}

function listen(server: Server, host: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

/** Closes a listener and every connection on it (open requests, hung ones included, are dropped). */
function stop(server: Server): Promise<void> {
  if (!server.listening) return Promise.resolve();
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}
