export { ensureStageConsumer, ensureTopology, type StageConsumerConfig, type TopologyOptions } from './topology.js';
export { JETSTREAM_TRANSPORT, JetStreamServer, type JetStreamServerStatus } from './jetstream.server.js';
export { JetStreamContext } from './jetstream.context.js';
export { JetStreamExceptionFilter } from './jetstream.exception-filter.js';
export { JetStreamPublisher, type PublishOptions, type PublishResult } from './jetstream.publisher.js';
export { DeadLetterHeaders } from './dead-letter.publisher.js';
export type { JetStreamServerOptions, PayloadClass, StageConsumerOptions, StageFailure } from './jetstream.options.js';
export type { Grant, PullGate } from './pull-gate.js';
export type { WorkMessage } from './work-message.js';
