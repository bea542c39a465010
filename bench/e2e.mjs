// End-to-end latency of one 45-70 s introduction through the real services (embedded engines): submit -> completed,
// one clip at a time. Ours (pocketsphinx decoding quiet-point chunks on every core) against the baseline of one
// pocketsphinx process per clip (STT_PARALLELISM=1), both measured in this run.
import { mkdtemp, rm } from 'node:fs/promises';
import { openAsBlob } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { INTRO_SCRIPTS, mp4FromWav, speechWav, startNatsServer, startSystem } from '@introeval/testing';
import { sampleMemory } from './_memory.mjs';
import { machine, writeJson, writeSection } from './_report.mjs';

/** The services (apps/<name>/dist/main.js) and the pocketsphinx processes they spawn. */
const SYSTEM_PROCESSES = /apps\/\w+\/dist\/main\.js|pocketsphinx_continuous/;

const ROUNDS = 2;

async function evaluate(url, file) {
  const form = new FormData();
  form.append('file', await openAsBlob(file), basename(file));
  const started = performance.now();
  const accepted = await (await fetch(`${url}/api/submissions`, { method: 'POST', body: form })).json();
  for (;;) {
    const result = await (await fetch(`${url}/api/submissions/${accepted.id}`, { headers: { 'x-receipt': accepted.receipt } })).json();
    if (result.status === 'completed' || result.status === 'failed') {
      if (result.status === 'failed') throw new Error(`job failed: ${result.error.code} ${result.error.message}`);
      return { totalMs: performance.now() - started, perStageMs: result.timings.perStageMs, audioSec: result.transcript.durationSec };
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function measure(natsUrl, clips, env) {
  const system = await startSystem({ natsUrl, env });
  const memory = sampleMemory(SYSTEM_PROCESSES);
  try {
    const runs = [];
    for (let round = 0; round < ROUNDS; round++) for (const clip of clips) runs.push({ clip: clip.name, ...(await evaluate(system.url, clip.file)) });
    return { runs, peakRssMiB: memory.stop() };
  } finally {
    memory.stop();
    await system.stop();
  }
}

const mean = (values) => values.reduce((a, b) => a + b, 0) / values.length;

export async function run({ root }) {
  const dir = await mkdtemp(join(tmpdir(), 'bench-e2e-'));
  const nats = await startNatsServer();
  try {
    const voices = ['slt', 'rms', 'awb'];
    const clips = [];
    for (const [i, script] of INTRO_SCRIPTS.slice(0, 3).entries()) {
      const wav = await speechWav(script, voices[i % voices.length], dir);
      clips.push({ name: `${script.id} (${voices[i % voices.length]})`, file: await mp4FromWav(wav, dir) });
    }
    const variants = {
      'ours: chunked pocketsphinx, STT_PARALLELISM=2': { STT_PARALLELISM: '2' },
      'baseline: one pocketsphinx process per clip': { STT_PARALLELISM: '1' },
    };
    const results = {};
    for (const [name, env] of Object.entries(variants)) results[name] = await measure(nats.url, clips, env);

    const rows = Object.entries(results).map(([name, { runs, peakRssMiB }]) => {
      const stage = (key) => (mean(runs.map((r) => r.perStageMs[key] ?? 0)) / 1000).toFixed(2);
      return `| ${name} | ${(mean(runs.map((r) => r.totalMs)) / 1000).toFixed(2)} | ${(Math.max(...runs.map((r) => r.totalMs)) / 1000).toFixed(2)} | ${stage('upload')} | ${stage('transcribe')} | ${stage('extract')} | ${stage('rate')} | ${peakRssMiB} |`;
    });
    const audio = Object.values(results)[0].runs.map((r) => r.audioSec);
    writeJson(root, 'e2e', { machine: machine(), date: new Date().toISOString(), clips: clips.map((c) => c.name), results });
    writeSection(
      root,
      'e2e',
      `## End-to-end latency, one clip at a time (\`npm run bench -- e2e\`)

${new Date().toISOString().slice(0, 10)} on ${machine()}. Flite-spoken introductions of ${Math.min(...audio).toFixed(0)}-${Math.max(...audio).toFixed(0)} s as MP4, submitted over HTTP to the real services (embedded engines), timed from POST to \`completed\`; peak memory is the sum over the five services and their pocketsphinx processes, sampled every 100 ms; ${ROUNDS} rounds x ${clips.length} clips per variant. Aim: under 20 s.

| variant | mean s | max s | upload s | transcribe s | extract s | rate s | peak RSS, all processes, MiB |
|---|---|---|---|---|---|---|---|
${rows.join('\n')}`,
    );
    console.log(rows.join('\n'));
  } finally {
    await nats.dispose();
    await rm(dir, { recursive: true, force: true });
  }
}
