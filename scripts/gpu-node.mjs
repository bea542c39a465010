#!/usr/bin/env node
// `npm run gpu-node [-- --time-scale 10 --batching ...]`: a GPU-node stand-in for local development. One simulated
// 8 GB card behind Ollama's API (default 127.0.0.1:11434) and speaches' API (default 127.0.0.1:8000), with the lab's
// models (libs/testing/src/gpu-node/index.ts says what it models). Point the services' OLLAMA/Whisper URLs at it.
import { parseArgs } from 'node:util';
import { execFileSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const USAGE = `usage: npm run gpu-node -- [options]
  --host H              listen address                    (GPU_NODE_HOST, default 127.0.0.1)
  --ollama-port P       Ollama API port                   (GPU_NODE_OLLAMA_PORT, default 11434)
  --speaches-port P     speaches API port                 (GPU_NODE_SPEACHES_PORT, default 8000)
  --vram-mb N           the card's memory                 (GPU_NODE_VRAM_MB, default 8192)
  --time-scale X        simulated seconds per real second (GPU_NODE_TIME_SCALE, default 1)
  --unload-lag S        seconds until unloaded VRAM shows free (GPU_NODE_UNLOAD_LAG_SEC, default 1.5)
  --batching            speaches batch 8 (3.5x), Ollama 4 parallel (2.2x)  (GPU_NODE_BATCHING=1)
  --canned              fixed answers instead of pocketsphinx and the rules engines`;

const { values } = parseArgs({
  options: {
    host: { type: 'string' },
    'ollama-port': { type: 'string' },
    'speaches-port': { type: 'string' },
    'vram-mb': { type: 'string' },
    'time-scale': { type: 'string' },
    'unload-lag': { type: 'string' },
    batching: { type: 'boolean' },
    canned: { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  },
});
if (values.help) {
  console.log(USAGE);
  process.exit(0);
}

/** A number from a flag, else from the environment, else the default; anything else stops with the usage. */
function numberOption(flag, env, fallback) {
  const raw = values[flag] ?? process.env[env];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < 0) {
    console.error(`--${flag} / ${env}: expected a number >= 0, got "${raw}"\n\n${USAGE}`);
    process.exit(2);
  }
  return value;
}

// The script runs the BUILT library (incremental, about a second when nothing changed).
execFileSync(process.execPath, [join(root, 'scripts', 'build.mjs')], { stdio: 'inherit' });
const testing = await import(pathToFileURL(join(root, 'libs', 'testing', 'dist', 'index.js')).href);
// The real answers (pocketsphinx, the rules engines) live with the engines, not in the stand-in (testing).
const standInBrain = await import(pathToFileURL(join(root, 'libs', 'engines', 'dist', 'stand-in-brain', 'index.js')).href);

const batching = values.batching || process.env.GPU_NODE_BATCHING === '1';
const cannedTranscript = { text: 'hello my name is sam and i study computer science', language: 'en', durationSec: 4, words: [] };
const node = await testing.startGpuNode({
  vramMb: numberOption('vram-mb', 'GPU_NODE_VRAM_MB', testing.LAB_8GB_VRAM_MB),
  models: batching ? testing.LAB_8GB_BATCHED_MODELS : testing.LAB_8GB_MODELS,
  timeScale: numberOption('time-scale', 'GPU_NODE_TIME_SCALE', 1) || 1,
  unloadLagSec: numberOption('unload-lag', 'GPU_NODE_UNLOAD_LAG_SEC', 1.5),
  brain: values.canned ? testing.cannedBrain({ transcript: cannedTranscript, chat: () => '{}' }) : standInBrain.rulesBrain(),
  host: values.host ?? process.env.GPU_NODE_HOST ?? '127.0.0.1',
  ollamaPort: numberOption('ollama-port', 'GPU_NODE_OLLAMA_PORT', 11434),
  speachesPort: numberOption('speaches-port', 'GPU_NODE_SPEACHES_PORT', 8000),
});

console.log(`GPU-node stand-in (simulated ${batching ? 'batching ' : ''}8 GB card)`);
console.log(`  Ollama   ${node.ollamaUrl}`);
console.log(`  speaches ${node.speachesUrl}`);
for (const m of batching ? testing.LAB_8GB_BATCHED_MODELS : testing.LAB_8GB_MODELS) {
  console.log(`  ${m.api.padEnd(8)} ${m.name.padEnd(34)} group ${m.group.padEnd(8)} ${m.vramMb} MB`);
}
console.log('Ctrl-C stops it.');

let stopping = false;
const stop = async () => {
  if (stopping) return;
  stopping = true;
  const overlaps = testing.findOverlaps(node, testing.LAB_8GB_VRAM_MB);
  console.log(`\nloads ${node.loads()}, out-of-memory ${node.oomErrors()}, requests served ${node.busyIntervals().length}, ` +
    `phase-invariant violations on 8 GB: ${overlaps.length}`);
  await node.close();
  process.exit(0);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
