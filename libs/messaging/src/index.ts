export { ensureStageConsumer, ensureTopology, type StageConsumerConfig, type TopologyOptions } from './topology.js';
export { JETSTREAM_TRANSPORT, JetStreamServer, type JetStreamServerStatus } from './jetstream.server.js';
export { JetStreamContext } from './jetstream.context.js';
export { JetStreamExceptionFilter } from './jetstream.exception-filter.js';
export { JetStreamPublisher, type PublishOptions, type PublishResult } from './jetstream.publisher.js';
export { DeadLetterHeaders } from './dead-letter.publisher.js';
export type {
  JetStreamServerOptions,
  PayloadClass,
  StageConsumerOptions,
  StageFailure,
  StageHeartbeatSettings,
} from './jetstream.options.js';
export type { Grant, PullGate } from './pull-gate.js';
export type { WorkMessage } from './work-message.js';
export { StageWorker, type FetchPulling, type GatedPulling, type NoWaitPull, type StageWorkerOptions } from './stage.worker.js';
export { pullNoWait } from './no-wait-pull.js';
export {
  HEARTBEAT_TTL_PERIODS,
  heartbeatProblems,
  openStageWorkerBucket,
  StageHeartbeat,
  StageWorkerDirectory,
  type StageWorkerHeartbeat,
} from './stage-heartbeat.js';
