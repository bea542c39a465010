import 'reflect-metadata';
import { jetstreamManager } from '@nats-io/jetstream';
import { Logger } from '@nestjs/common';
import { loadConfig } from '@introeval/config';
import { openLeaseBuckets, openSchedulerReportsBucket, SchedulerReports } from '@introeval/lease';
import { ensureTopology } from '@introeval/messaging';
import { announceReady, closeOnSignals } from '@introeval/pipeline';
import { detectVramMb, kubeClients, KubernetesLeaseMirror, type KubeClients } from '@introeval/residency';
import { connectNats } from '@introeval/nats';
import { startTelemetry, stopTelemetry } from '@introeval/telemetry';
import { loadGpuNodes, type GpuNodeSpec } from './gpu-nodes.config.js';
import { groupDrivers } from './group-drivers.js';
import { wireNodeScheduler, type NodeScheduler } from './node-scheduler.js';
import { createPolicy } from '@introeval/scheduling';
import { SchedulerConfig } from './scheduler.config.js';

const logger = new Logger('scheduler');

async function main(): Promise<void> {
  startTelemetry('scheduler');
  const config = loadConfig(SchedulerConfig);
  if (!config.GPU_NODES_FILE) return waitWithoutNodes(config.NATS_URL);
  const nodes = await loadGpuNodes(config.GPU_NODES_FILE);
  const nc = await connectNats(config.NATS_URL, 'scheduler');
  await ensureTopology(nc);
  const buckets = await openLeaseBuckets(nc, {
    leaderTtlMs: config.LEADER_TTL_MS,
    heartbeatTtlMs: 3 * config.LEASE_HEARTBEAT_MS,
  });
  const reports = new SchedulerReports(await openSchedulerReportsBucket(nc));
  const jsm = await jetstreamManager(nc);
  const policySettings = { maxWaitSec: config.MAX_WAIT_SEC, lingerSec: config.LINGER_SEC };
  let kube: KubeClients | null = null;
  const kubernetes = () => (kube ??= kubeClients());
  const schedulers: NodeScheduler[] = [];
  for (const node of nodes) {
    const budgetMb = await vramBudget(node);
    schedulers.push(
      wireNodeScheduler({
        node,
        budgetMb,
        holder: config.SCHEDULER_ID,
        buckets,
        jsm,
        policy: createPolicy(config.SCHEDULER_POLICY, policySettings),
        policySettings,
        reports,
        drivers: groupDrivers(node, kubernetes),
        leaderTtlMs: config.LEADER_TTL_MS,
        tickMs: config.SCHEDULER_TICK_MS,
        onWrite: node.kubernetes ? mirrorTo(node, kubernetes(), config.LEADER_TTL_MS) : undefined,
      }),
    );
    logger.log(`node ${node.name}: ${budgetMb} MB, policy ${config.SCHEDULER_POLICY}`);
  }
  for (const scheduler of schedulers) scheduler.start();
  logger.log(`scheduler ready: ${nodes.length} GPU node(s), policy ${config.SCHEDULER_POLICY}`);
  closeOnSignals({ close: () => Promise.all(schedulers.map((s) => s.stop())).then(() => undefined) }, async () => {
    await nc.drain();
    await stopTelemetry();
  });
  announceReady();
}

/**
 * Without GPU nodes there is nothing to schedule, yet the scheduler stays up as a service: `npm start` and the e2e
 * harness supervise every service alike, and one that exits is restarted as a crash. What keeps it up is its NATS
 * connection, as with the workers, not a timer: SIGTERM drains it and the process exits 0. A connection that ends
 * for another reason (reconnects are unlimited, so e.g. a refused authorisation) is a failure for the supervisor.
 */
async function waitWithoutNodes(natsUrl: string): Promise<void> {
  const nc = await connectNats(natsUrl, 'scheduler');
  closeOnSignals({ close: () => nc.drain() }, stopTelemetry);
  void nc.closed().then((error) => {
    if (!error) return;
    logger.error(`the NATS connection ended: ${error.message}`);
    process.exit(1);
  });
  logger.log('scheduler ready: no GPU_NODES_FILE, so no GPU node to schedule (the embedded engines run ungated)');
  announceReady();
}

async function vramBudget(node: GpuNodeSpec): Promise<number> {
  if (node.vramMb) return node.vramMb;
  const detected = await detectVramMb();
  if (detected === null) {
    throw new Error(`node ${node.name}: no vramMb configured and nvidia-smi did not report the card's memory`);
  }
  return detected;
}

/** Mirrors every lease write into a coordination.k8s.io Lease so `kubectl get lease` shows the phase. */
function mirrorTo(node: GpuNodeSpec, client: KubeClients, leaderTtlMs: number) {
  const mirror = new KubernetesLeaseMirror({
    client,
    namespace: node.kubernetes!.namespace,
    name: node.kubernetes!.leaseName ?? `introeval-gpu-${node.name.toLowerCase()}`,
  });
  return (record: { node: string; phase: string[]; state: string; epoch: number; holder: string; since: string }) => {
    mirror
      .mirror({ ...record, ttlSec: Math.ceil(leaderTtlMs / 1000) })
      .catch((error: unknown) => logger.warn(`Kubernetes Lease mirror of ${node.name}: ${(error as Error).message}`));
  };
}

main().catch((error: unknown) => {
  console.error(`scheduler failed to start: ${(error as Error).message}`);
  process.exit(1);
});
