// A class of 30 through the real services, NATS and scheduler, against the GPU-node stand-in (8 GB card), time-scaled.
// Policies side by side in one run: ours (adaptive) and the three baselines (strict-batch, fcfs-swap,
// one-at-a-time), on two scenarios (burst: all 30 at once; staggered: random arrivals over 10 minutes) and two
// engine profiles (the lab's measured per-student GPU work at concurrency 1, and the same with batching gains).
// Times are simulated seconds: real seconds x LAB30_TIME_SCALE.
import { connect } from '@nats-io/transport-node';
import { existsSync, openAsBlob, readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  cannedIntroductionBrain,
  findOverlaps,
  LAB_8GB_MODELS,
  LAB_8GB_VRAM_MB,
  nodeFileEntry,
  seededRandom,
  speechWav,
  startGpuNode,
  startNatsServer,
  startSystem,
  withBatchingGains,
} from '@introeval/testing';
import { machine, writeJson, writeSection } from './_report.mjs';

const STUDENTS = 30;
const STAGGER_WINDOW_SEC = 600;
// 5x: at 10x the CPU stages (30 uploads checked at once on two cores) take a visible share of the burst makespan.
const TIME_SCALE = Number(process.env.LAB30_TIME_SCALE ?? 5);
const POLICIES = (process.env.LAB30_POLICIES ?? 'adaptive,strict-batch,fcfs-swap,one-at-a-time').split(',');
const SCENARIOS = (process.env.LAB30_SCENARIOS ?? 'burst,staggered').split(',');
const PROFILES = {
  batching: { label: 'with batching gains (Whisper batch 8 at 3.5x, Ollama 4 parallel at 2.2x)', models: withBatchingGains(LAB_8GB_MODELS) },
  'no-batching': { label: 'concurrency 1 (the lab measurements as they are)', models: LAB_8GB_MODELS },
};
const PROFILE_NAMES = (process.env.LAB30_PROFILES ?? 'batching,no-batching').split(',');
const ADMIN_TOKEN = 'lab30-admin-token-0123456789';
/** The remaining-time ETA is also sampled for every unfinished job this often (simulated seconds). */
const SAMPLE_EVERY_SEC = 30;

/** The answers the models give, fixed in advance: only the latency model costs time (no CPU work on the stand-in). */
const answers = () =>
  cannedIntroductionBrain({
    text: 'hello my name is asha and i study computer science at the state university',
    profile: {
      name: 'Asha', degree: 'B.Tech', major: 'Computer Science', institution: 'State University', graduationYear: 2027,
      yearOfStudy: 3, skills: ['Python'], projects: [], experience: [], achievements: [], hobbies: [], careerGoal: null,
      strengths: [],
    },
    judgement: { justification: 'Names the essentials but leaves out projects and goals.', score: 3 },
  });

function arrivals(scenario) {
  if (scenario === 'burst') return Array.from({ length: STUDENTS }, () => 0);
  const random = seededRandom(2026);
  return Array.from({ length: STUDENTS }, () => random() * STAGGER_WINDOW_SEC).sort((a, b) => a - b);
}

/** Total GPU work at each engine's best concurrency, plus one load of each group (the fewest an 8 GB card allows). */
function lowerBound(models) {
  const work = models.reduce((sum, m) => sum + (STUDENTS * m.serviceSec) / m.gainAtMax, 0);
  const loads = models.reduce((sum, m) => sum + m.loadSec, 0);
  return work + loads;
}

async function runOne({ dir, clip, profile, scenario, policy }) {
  const models = PROFILES[profile].models;
  const nats = await startNatsServer();
  const node = await startGpuNode({ vramMb: LAB_8GB_VRAM_MB, models, timeScale: TIME_SCALE, unloadLagSec: 0, brain: answers() });
  const nodesFile = join(dir, `gpu-nodes-${profile}-${scenario}-${policy}.json`);
  const entry = nodeFileEntry('gpu-0', node, models, { vramMb: LAB_8GB_VRAM_MB, timeScale: TIME_SCALE });
  await writeFile(nodesFile, JSON.stringify({ nodes: [entry] }));
  const model = (g) => models.find((m) => m.group === g);
  const system = await startSystem({
    natsUrl: nats.url,
    env: {
      GPU_NODE: 'gpu-0',
      GPU_NODES_FILE: nodesFile,
      SCHEDULER_POLICY: policy,
      SCHEDULER_TICK_MS: '40',
      // Only the upload stage (CPU) uses it: the gated workers take their concurrency from the grant.
      STAGE_CONCURRENCY: '2',
      MAX_WAIT_SEC: String(600 / TIME_SCALE),
      LINGER_SEC: String(8 / TIME_SCALE),
      LEASE_HEARTBEAT_MS: '500',
      STT_ENGINE: 'openai',
      STT_URL: node.speachesUrl,
      STT_MODEL: model('stt').name,
      STT_CONCURRENCY: String(model('stt').maxConcurrency),
      EXTRACT_ENGINE: 'ollama',
      RATE_ENGINE: 'ollama',
      OLLAMA_URL: node.ollamaUrl,
      OLLAMA_KEEP_ALIVE: '-1', // the scheduler unloads; a request must not set its own expiry
      EXTRACT_MODEL: model('extract').name,
      RATE_MODEL: model('rate').name,
      EXTRACT_CONCURRENCY: String(model('extract').maxConcurrency),
      RATE_CONCURRENCY: String(model('rate').maxConcurrency),
      ADMIN_TOKEN,
    },
  });
  // A lab's system is up long before the class: let the scheduler take the lead and settle first.
  await new Promise((resolve) => setTimeout(resolve, 2000));
  const nc = await connect({ servers: nats.url });
  const finished = new Map();
  const sub = nc.subscribe('introeval.event.>');
  void (async () => {
    for await (const msg of sub) {
      const [, , kind, id] = msg.subject.split('.');
      if ((kind === 'completed' || kind === 'failed') && !finished.has(id)) finished.set(id, { kind, at: performance.now() });
    }
  })();
  const etas = etaRecorder(system.url);
  let sampler = null;
  try {
    const submitted = new Map();
    const t0 = performance.now();
    const simStart = node.now();
    sampler = setInterval(() => etas.sampleUnfinished(finished), (SAMPLE_EVERY_SEC / TIME_SCALE) * 1000);
    await Promise.all(
      arrivals(scenario).map(async (atSec, i) => {
        const wait = t0 + (atSec / TIME_SCALE) * 1000 - performance.now();
        if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
        const form = new FormData();
        form.append('file', await openAsBlob(clip), `student-${i}.wav`);
        form.append('studentId', `student-${i}`);
        const started = performance.now();
        const response = await fetch(`${system.url}/api/submissions`, { method: 'POST', body: form });
        if (!response.ok) throw new Error(`submission ${i}: ${response.status} ${await response.text()}`);
        const { id, receipt } = await response.json();
        submitted.set(id, started);
        await etas.atSubmission(id, receipt, finished);
      }),
    );
    const deadline = performance.now() + (5 * 3600 * 1000) / TIME_SCALE;
    while ([...submitted.keys()].some((id) => !finished.has(id))) {
      if (performance.now() > deadline) throw new Error(`${policy}/${scenario}: not finished within 5 simulated hours`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    clearInterval(sampler);
    await etas.settled();
    const failed = [...submitted.keys()].filter((id) => finished.get(id).kind === 'failed');
    if (failed.length > 0) throw new Error(`${policy}/${scenario}: ${failed.length} job(s) failed`);
    const sim = (ms) => (ms / 1000) * TIME_SCALE;
    const waits = [...submitted].map(([id, at]) => sim(finished.get(id).at - at)).sort((a, b) => a - b);
    const first = Math.min(...submitted.values());
    if (process.env.LAB30_DEBUG) debugReport(node, simStart);
    const last = Math.max(...[...finished.values()].map((f) => f.at));
    return {
      makespanSec: round(sim(last - first)),
      meanSec: round(waits.reduce((a, b) => a + b, 0) / waits.length),
      p95Sec: round(waits[Math.ceil(0.95 * waits.length) - 1]),
      // CPU stages (upload checks) run in real time, so the time scale stretches them: how long after the first
      // submission the card got its first job shows how much of the makespan they took.
      firstGpuJobSec: round(Math.min(...node.busyIntervals().map((b) => b.start)) - simStart),
      swaps: Math.max(0, node.loads() - 1),
      overlaps: findOverlaps(node, LAB_8GB_VRAM_MB).length,
      oomErrors: node.oomErrors(),
      eta: etas.accuracy(finished),
    };
  } finally {
    clearInterval(sampler);
    sub.unsubscribe();
    await nc.close();
    await system.stop();
    await node.close();
    await nats.stop();
  }
}

const round = (value) => Math.round(value * 10) / 10;

const jsonName = (profile) => (profile === 'batching' ? 'lab30' : `lab30-${profile}`);

/**
 * ETA accuracy, ours against the naive estimate the lab first planned. Ours: the `eta` that GET /api/submissions/:id
 * answers (the status service's forecast). Naive: position x mean time per job, where the position counts the
 * unfinished jobs accepted before this one (plus itself) and the mean time per job is the sum of the per-group
 * seconds per job the scheduler has measured at that moment (its report, through GET /api/status/nodes): the same
 * measurements the forecast gets, so the comparison is of the method, not of the data. Each is taken right after
 * the job's submission was accepted, and again every SAMPLE_EVERY_SEC simulated seconds for every unfinished job
 * (ours as the student reads it: the completion time it names, less the time the answer came);
 * the error of one estimate is |estimated remaining - actual remaining| / actual remaining.
 */
function etaRecorder(url) {
  const accepted = new Map(); // id -> { receipt, at }
  const samples = []; // { id, kind, at, ours, naive } (ms, performance.now() clock)
  const pending = new Set();
  const nodes = () =>
    fetch(`${url}/api/status/nodes`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } }).then((r) => (r.ok ? r.json() : null));
  const take = (id, kind, finished) => {
    const work = (async () => {
      const { receipt } = accepted.get(id);
      const at = performance.now();
      const wallAt = Date.now();
      const [job, listing] = await Promise.all([
        fetch(`${url}/api/submissions/${id}`, { headers: { 'x-receipt': receipt } }).then((r) => r.json()),
        nodes(),
      ]);
      if (!job.eta || finished.has(id)) return;
      const ahead = [...accepted.entries()].filter(([other, a]) => other !== id && a.at < accepted.get(id).at && !finished.has(other)).length;
      const perJobSec = (listing?.nodes ?? []).flatMap((n) => n.groups).reduce((sum, g) => sum + g.secPerJob, 0);
      samples.push({
        id, kind, at, ours: at + (Date.parse(job.eta.completeAt) - wallAt), naive: at + (ahead + 1) * perJobSec * 1000,
        basis: process.env.LAB30_DEBUG ? `${job.status}/${job.stage} ${job.eta.basis.split(';').slice(0, 3).join(';')}` : '',
      });
      if (process.env.LAB30_DEBUG && kind === 'submission') {
        console.log(`  eta ${id.slice(0, 8)}: ${job.status}/${job.stage} remaining ${job.eta.remainingSec} s real; ${job.eta.basis}; ${JSON.stringify(job.position)}`);
      }
    })();
    pending.add(work);
    work.finally(() => pending.delete(work));
    return work;
  };
  const ape = (estimate, s, finished) => Math.abs(estimate - finished.get(s.id).at) / (finished.get(s.id).at - s.at);
  const summary = (values) => {
    const sorted = [...values].sort((a, b) => a - b);
    const pick = (q) => (sorted.length === 0 ? null : Math.round(sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] * 1000) / 1000);
    return { medianApe: pick(0.5), p90Ape: pick(0.9), n: sorted.length };
  };
  return {
    async atSubmission(id, receipt, finished) {
      accepted.set(id, { receipt, at: performance.now() });
      await take(id, 'submission', finished);
    },
    sampleUnfinished(finished) {
      for (const id of accepted.keys()) if (!finished.has(id)) void take(id, 'sample', finished);
    },
    settled: () => Promise.allSettled([...pending]),
    /** Errors as fractions (0.15 = 15%): at submission, and over all the samples taken while jobs ran. */
    accuracy(finished) {
      if (process.env.LAB30_DEBUG) {
        const first = [...accepted.keys()][0];
        const t0 = Math.min(...[...accepted.values()].map((a) => a.at));
        for (const s of samples.filter((x) => x.kind === 'submission')) {
          console.log(`  sub ${s.id.slice(0, 8)} at ${((s.at - t0) / 1000).toFixed(1)} s: ours ${((s.ours - s.at) / 1000).toFixed(1)} naive ${((s.naive - s.at) / 1000).toFixed(1)} actual ${((finished.get(s.id).at - s.at) / 1000).toFixed(1)} ${s.basis.slice(0, 60)}`);
        }
        for (const id of [first, [...accepted.keys()].at(-1)]) {
          for (const s of samples.filter((x) => x.id === id)) {
            const actual = finished.get(id).at - s.at;
            console.log(`  ${id.slice(0, 8)} at ${((s.at - t0) / 1000).toFixed(1)} s: ours ${((s.ours - s.at) / 1000).toFixed(1)} naive ${((s.naive - s.at) / 1000).toFixed(1)} actual ${(actual / 1000).toFixed(1)} (${s.basis})`);
          }
        }
      }
      const done = samples.filter((s) => finished.has(s.id) && finished.get(s.id).at > s.at);
      const of = (kind, pick) => summary(done.filter((s) => kind === null || s.kind === kind).map((s) => ape(pick(s), s, finished)));
      return {
        ours: of('submission', (s) => s.ours),
        naive: of('submission', (s) => s.naive),
        sampled: { ours: of(null, (s) => s.ours), naive: of(null, (s) => s.naive) },
      };
    },
  };
}

/** Where the simulated time went: each group's busy span, served jobs and mean concurrency; each model load. */
function debugReport(node, simStart) {
  console.log(`  first submission at ${round(simStart)} s`);
  const busy = node.busyIntervals();
  for (const group of ['stt', 'extract', 'rate']) {
    const mine = busy.filter((b) => b.group === group && b.end !== null);
    if (mine.length === 0) continue;
    const start = Math.min(...mine.map((b) => b.start));
    const end = Math.max(...mine.map((b) => b.end));
    const work = mine.reduce((sum, b) => sum + (b.end - b.start), 0);
    console.log(`  ${group}: ${mine.length} jobs, ${round(start)}..${round(end)} s, mean concurrency ${round(work / (end - start))}`);
  }
  for (const r of node.residency()) console.log(`  load ${r.group} ${round(r.loadStart)} -> ${round(r.loadedAt ?? -1)}, unloaded ${round(r.unloadedAt ?? -1)}`);
}

function table(report) {
  const lines = [];
  for (const [scenario, result] of Object.entries(report)) {
    lines.push(`**${scenario}** (lower bound ${result.lowerBoundSec} s)`, '');
    lines.push('| policy | makespan s | vs bound | mean s | p95 s | swaps | overlaps | OOM loads | first GPU job at s |', '|---|---|---|---|---|---|---|---|---|');
    for (const [name, p] of Object.entries(result.policies)) {
      const over = `${(((p.makespanSec / result.lowerBoundSec) - 1) * 100).toFixed(1)}%`;
      lines.push(`| ${name} | ${p.makespanSec} | +${over} | ${p.meanSec} | ${p.p95Sec} | ${p.swaps} | ${p.overlaps} | ${p.oomErrors} | ${p.firstGpuJobSec ?? 'n/a'} |`);
    }
    // Runs from before the ETA was measured have none: no empty table for them.
    if (!Object.values(result.policies).some((p) => p.eta)) continue;
    lines.push('', `ETA error (absolute, as a share of the actual remaining time; median / p90) on ${scenario}:`, '');
    lines.push('| policy | ours at submission | naive at submission | ours, every 30 s | naive, every 30 s |', '|---|---|---|---|---|');
    const pct = (a) => (a.medianApe === null ? 'n/a' : `${(a.medianApe * 100).toFixed(1)}% / ${(a.p90Ape * 100).toFixed(1)}%`);
    for (const [name, p] of Object.entries(result.policies)) {
      if (!p.eta) continue;
      lines.push(`| ${name} | ${pct(p.eta.ours)} | ${pct(p.eta.naive)} | ${pct(p.eta.sampled.ours)} | ${pct(p.eta.sampled.naive)} |`);
    }
    lines.push('');
  }
  return lines.join('\n');
}

export async function run({ root }) {
  const dir = await mkdtemp(join(tmpdir(), 'bench-lab30-'));
  const sections = [];
  try {
    const clip = await speechWav(
      { id: 'lab30', text: 'Hello, my name is Asha. I am a third year computer science student at the state university. I like building small tools in Python, and I hope to work on speech technology after I graduate.' },
      'slt',
      dir,
    );
    for (const profile of PROFILE_NAMES) {
      const report = {};
      for (const scenario of SCENARIOS) {
        report[scenario] = { lowerBoundSec: round(lowerBound(PROFILES[profile].models)), policies: {} };
        for (const policy of POLICIES) {
          const result = await runOne({ dir, clip, profile, scenario, policy });
          report[scenario].policies[policy] = result;
          console.log(`${profile} ${scenario} ${policy}: ${JSON.stringify(result)}`);
        }
        // The scenario's ETA accuracy is that of the policy we run (every policy's own is kept beside it).
        const ours = report[scenario].policies.adaptive?.eta;
        if (ours) report[scenario].eta = { ours: ours.ours, naive: ours.naive, sampled: ours.sampled };
      }
      writeJson(root, jsonName(profile), report);
      sections.push(`### ${PROFILES[profile].label}\n\n${table(report)}`);
    }
    // A profile left out of this run (LAB30_PROFILES) keeps its table from the last run that had it, marked as such.
    for (const profile of Object.keys(PROFILES).filter((p) => !PROFILE_NAMES.includes(p))) {
      const path = join(root, 'bench-results', `${jsonName(profile)}.json`);
      if (!existsSync(path)) continue;
      const earlier = JSON.parse(readFileSync(path, 'utf8'));
      sections.push(`### ${PROFILES[profile].label}\n\n(not re-run this time: the last run that had it, bench-results/${jsonName(profile)}.json)\n\n${table(earlier)}`);
    }
    writeSection(
      root,
      'lab30',
      `## A class of 30 on one 8 GB GPU (\`npm run bench -- lab30\`)

${machine()}, ${new Date().toISOString().slice(0, 10)}. Real services, NATS and scheduler against the GPU-node stand-in
(8 GB; per student: speech-to-text 10 s, extraction 15 s, rating 25 s of GPU work at concurrency 1; 8 s per model
load), time scale ${TIME_SCALE}x; all times are simulated seconds. burst: 30 students submit at once; staggered: 30
arrivals at seeded random times over 10 minutes. The lower bound is the total GPU work at each engine's best
concurrency plus one load per group. Mean and p95 are submission-to-result times. The CPU stages (gateway, upload
checks with ffprobe/ffmpeg) run in real time, so the time scale stretches them too: "first GPU job at" shows how long
after the first submission the card got its first job (about 1.5 real seconds for 30 simultaneous uploads on two
cores); a lower LAB30_TIME_SCALE shrinks that share.

ETA accuracy: right after each submission is accepted, and every ${SAMPLE_EVERY_SEC} simulated seconds for every
unfinished job, the bench reads the job's ETA from \`GET /api/submissions/:id\` (the status service's forecast,
a replay of the scheduler's policy) and the naive estimate the lab first planned (position x mean time per job,
from the same measurements the scheduler reports). The error is |estimated - actual remaining| / actual remaining.

${sections.join('\n')}`,
    );
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
