import type { GpuNode, ListNodesResponse, ListQueuesResponse, StageQueue } from './generated/introeval/status/v1/status.js';
import type { Timestamp } from './generated/google/protobuf/timestamp.js';
import { fromTimestamp } from './timestamp.js';

/**
 * The admin views as JSON (`GET /api/status/queues`, `/api/status/nodes`, `introeval status --json`): the proto's
 * fields in camelCase, times as ISO 8601, absent values as null.
 */
export interface QueueListing {
  observedAt: string | null;
  queues: Array<Omit<StageQueue, 'alarm' | 'jobs'> & { alarm: string | null; jobs: QueuedJobJson[] }>;
}

export interface QueuedJobJson {
  jobId: string;
  studentId: string | null;
  position: number;
  queuedAt: string | null;
}

export interface NodeListing {
  observedAt: string | null;
  nodes: NodeJson[];
}

export interface NodeJson {
  name: string;
  policy: string;
  lease: { phase: string[]; state: string; epoch: number; holder: string; since: string | null } | null;
  nextPhase: string[];
  switch: { from: string[]; to: string[]; state: string; elapsedSec: number } | null;
  resident: Array<{ group: string; model: string; vramMb: number | null }>;
  groups: GpuNode['groups'];
  switchSec: number;
  reportedAt: string | null;
}

const iso = (timestamp: Timestamp | undefined): string | null => {
  const ms = fromTimestamp(timestamp);
  return ms === null ? null : new Date(ms).toISOString();
};

export function toQueueListing(response: ListQueuesResponse): QueueListing {
  return {
    observedAt: iso(response.observedAt),
    queues: response.queues.map((queue) => ({
      ...queue,
      alarm: queue.alarm ?? null,
      jobs: queue.jobs.map((job) => ({
        jobId: job.jobId,
        studentId: job.studentId ?? null,
        position: job.position,
        queuedAt: iso(job.queuedAt),
      })),
    })),
  };
}

export function toNodeListing(response: ListNodesResponse): NodeListing {
  return {
    observedAt: iso(response.observedAt),
    nodes: response.nodes.map((node) => ({
      name: node.name,
      policy: node.policy,
      lease: node.lease ? { ...node.lease, since: iso(node.lease.since) } : null,
      nextPhase: node.nextPhase,
      switch: node.switch ?? null,
      resident: node.resident.map((model) => ({ ...model, vramMb: model.vramMb ?? null })),
      groups: node.groups,
      switchSec: node.switchSec,
      reportedAt: iso(node.reportedAt),
    })),
  };
}
