/**
 * Every JetStream KV bucket and object store of IntroEval, by role. One list, so that a name is never spelled twice
 * and two roles never share a bucket; the streams behind them are `KV_<name>` and `OBJ_<name>`.
 */
export const BucketNames = {
  /** KV: job id -> JobRecord JSON. */
  jobs: 'introeval-jobs',
  /** KV: sha256(idempotency key) -> job id. */
  idempotency: 'introeval-idempotency',
  /** KV: cluster-wide settings created once (e.g. the receipt signing secret). */
  settings: 'introeval-settings',
  /** Object store: uploaded media and extracted audio. */
  media: 'introeval-media',
  /** KV: node name -> the holder of the scheduler leadership for that node; expires by bucket max_age. */
  leaders: 'introeval-sched-leaders',
  /** KV: node name -> LeaseRecord; written by the leader only, by compare-and-set (docs/lease.md). */
  leases: 'introeval-gpu-leases',
  /** KV: `${node}.${group}.${workerId}` -> WorkerReport; a heartbeat re-writes it, max_age expires the dead. */
  workers: 'introeval-gpu-workers',
  /** KV: node name -> SchedulerReport (measurements, plan, resident models); written by the node's leader. */
  schedulerReports: 'introeval-sched-reports',
  /** KV: `${stage}.${workerId}` -> StageWorkerHeartbeat (every stage worker, gated or not); max_age expires the dead. */
  stageWorkers: 'introeval-stage-workers',
} as const;

export type BucketName = (typeof BucketNames)[keyof typeof BucketNames];
