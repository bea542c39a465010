// The gRPC status service under load, through the real services (embedded engines): GetJob latency against the
// gateway's plain record read (GET /api/submissions/:id) in the same run, and the status process's CPU and memory while
// 100 jobs run with 500 WatchSystem dashboards open, against the same load with one.
import { readdirSync, readFileSync } from 'node:fs';
import { ClientProxyFactory } from '@nestjs/microservices';
import { firstValueFrom } from 'rxjs';
import { credentialsMetadata, STATUS_SERVICE_NAME, statusGrpcOptions } from '@introeval/status-api';
import { INTRO_SCRIPTS, startNatsServer, startSystem } from '@introeval/testing';
import { machine, writeJson, writeSection } from './_report.mjs';

const ADMIN_TOKEN = 'bench-admin-token-0123456789';
const GET_CALLS = 2000;
const GET_CONCURRENCY = 8;
const JOBS = 100;
const WATCHERS = 500;
const SUBMIT_EVERY_MS = 200;
/** Linux reports process CPU time in clock ticks of 1/100 s (USER_HZ). */
const TICKS_PER_SEC = 100;

function pidOf(pattern) {
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (pattern.test(readFileSync(`/proc/${entry}/cmdline`, 'utf8').replaceAll('\0', ' '))) return entry;
    } catch {
      // gone meanwhile
    }
  }
  throw new Error(`no process matches ${pattern}`);
}

/** CPU seconds (user + system) the process has used so far, and its resident memory in MiB. */
function usage(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const cpuSec = (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SEC;
  const rssMiB = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;
  return { cpuSec, rssMiB };
}

const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];

async function submitText(url, text) {
  const response = await fetch(`${url}/api/submissions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ text }) });
  if (response.status !== 202) throw new Error(`submit: ${response.status} ${await response.text()}`);
  return response.json();
}

/** `calls` calls of `once`, `concurrency` at a time; the latency of each in ms, sorted. */
async function latencies(calls, concurrency, once) {
  const times = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next++ < calls) {
        const started = performance.now();
        await once();
        times.push(performance.now() - started);
      }
    }),
  );
  return times.sort((a, b) => a - b);
}

/** Runs JOBS text jobs to the end with `watchers` WatchSystem streams open; the status process's usage meanwhile. */
async function underLoad(system, client, statusPid, watchers) {
  const admin = credentialsMetadata({ adminToken: ADMIN_TOKEN });
  let received = 0;
  const streams = Array.from({ length: watchers }, () => client.watchSystem({}, admin).subscribe({ next: () => received++, error: () => undefined }));
  // Every stream is served before the clock starts.
  while (received < watchers) await new Promise((resolve) => setTimeout(resolve, 20));
  const before = usage(statusPid);
  let peakRss = before.rssMiB;
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, usage(statusPid).rssMiB)), 100);
  const started = performance.now();
  // Spread over SUBMIT_EVERY_MS x JOBS, as a class arrives: the queues move on every snapshot the dashboards get.
  const jobs = [];
  for (let i = 0; i < JOBS; i++) {
    jobs.push(await submitText(system.url, INTRO_SCRIPTS[i % INTRO_SCRIPTS.length].text));
    await new Promise((resolve) => setTimeout(resolve, SUBMIT_EVERY_MS));
  }
  for (const job of jobs) {
    for (;;) {
      const result = await (await fetch(`${system.url}/api/submissions/${job.id}`, { headers: { 'x-receipt': job.receipt } })).json();
      if (result.status === 'completed' || result.status === 'failed') break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  const wallSec = (performance.now() - started) / 1000;
  clearInterval(sampler);
  const after = usage(statusPid);
  for (const stream of streams) stream.unsubscribe();
  return {
    watchers,
    jobs: JOBS,
    wallSec,
    cpuSec: after.cpuSec - before.cpuSec,
    cpuCores: (after.cpuSec - before.cpuSec) / wallSec,
    peakRssMiB: Math.round(Math.max(peakRss, after.rssMiB)),
    updatesPerWatcher: received / watchers,
  };
}

export async function run({ root }) {
  const nats = await startNatsServer();
  const system = await startSystem({ natsUrl: nats.url, env: { ADMIN_TOKEN } });
  const proxy = ClientProxyFactory.create(statusGrpcOptions(system.statusUrl));
  const client = proxy.getService(STATUS_SERVICE_NAME);
  try {
    const statusPid = pidOf(/apps\/status\/dist\/main\.js/);
    const job = await submitText(system.url, INTRO_SCRIPTS[0].text);
    const owner = credentialsMetadata({ receipt: job.receipt });
    // Warm both paths (connections, JIT, the first snapshot).
    for (let i = 0; i < 50; i++) {
      await firstValueFrom(client.getJob({ jobId: job.id }, owner));
      await fetch(`${system.url}/api/submissions/${job.id}`, { headers: { 'x-receipt': job.receipt } }).then((r) => r.json());
    }
    const grpc = await latencies(GET_CALLS, GET_CONCURRENCY, () => firstValueFrom(client.getJob({ jobId: job.id }, owner)));
    const http = await latencies(GET_CALLS, GET_CONCURRENCY, () =>
      fetch(`${system.url}/api/submissions/${job.id}`, { headers: { 'x-receipt': job.receipt } }).then((r) => r.json()),
    );
    const one = await underLoad(system, client, statusPid, 1);
    const many = await underLoad(system, client, statusPid, WATCHERS);

    const lat = (sorted) => ({ p50: percentile(sorted, 50), p99: percentile(sorted, 99), max: sorted.at(-1) });
    const results = { getJob: lat(grpc), gatewayGet: lat(http), watchSystem: [one, many] };
    writeJson(root, 'status', { machine: machine(), date: new Date().toISOString(), calls: GET_CALLS, concurrency: GET_CONCURRENCY, results });
    const ms = (v) => v.toFixed(2);
    const loadRow = (r) =>
      `| ${r.watchers} | ${r.jobs} | ${r.wallSec.toFixed(1)} | ${r.cpuSec.toFixed(2)} | ${(100 * r.cpuCores).toFixed(0)} % | ${r.peakRssMiB} | ${r.updatesPerWatcher.toFixed(1)} |`;
    const markdown = `## Status service (\`npm run bench -- status\`)

${new Date().toISOString().slice(0, 10)} on ${machine()}. The real services on the embedded engines, one status replica (snapshot refresh 500 ms).

GetJob of a student's own job (receipt in metadata), ${GET_CALLS} calls, ${GET_CONCURRENCY} at a time, over gRPC on loopback; the
baseline is the gateway's \`GET /api/submissions/:id\` (one record read, no queue position or ETA) in the same run.

| call | p50 ms | p99 ms | max ms |
|---|---|---|---|
| GetJob (status, gRPC): record + shared snapshot + forecast | ${ms(results.getJob.p50)} | ${ms(results.getJob.p99)} | ${ms(results.getJob.max)} |
| baseline: gateway GET (HTTP, record only) | ${ms(results.gatewayGet.p50)} | ${ms(results.gatewayGet.p99)} | ${ms(results.gatewayGet.max)} |

WatchSystem dashboards open while ${JOBS} text submissions (one every ${SUBMIT_EVERY_MS} ms) run to the end; CPU and peak memory of the status process over that
time; the baseline is the same load with one dashboard.

| watchers | jobs | wall s | status CPU s | CPU (of one core) | status peak RSS MiB | updates per watcher |
|---|---|---|---|---|---|---|
${loadRow(one)}
${loadRow(many)}`;
    writeSection(root, 'status', markdown);
    console.log(markdown);
  } finally {
    proxy.close();
    await system.stop();
    await nats.dispose();
  }
}
