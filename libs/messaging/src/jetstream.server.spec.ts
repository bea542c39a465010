import type { NatsConnection } from '@nats-io/transport-node';
import { StageMessage } from '@introeval/contracts';
import type { JetStreamServerOptions, StageConsumerOptions } from './jetstream.options.js';
import { JetStreamServer } from './jetstream.server.js';

function options(consumer: Partial<StageConsumerOptions>, rest: Partial<JetStreamServerOptions> = {}) {
  return {
    connection: {} as NatsConnection,
    consumers: [{ stage: 'rate', concurrency: 1, ackWaitMs: 1000, maxDeliver: 2, payload: StageMessage, ...consumer }],
    backoffMs: [],
    drainTimeoutMs: 1000,
    onFailure: () => Promise.resolve(),
    ...rest,
  } satisfies JetStreamServerOptions;
}

describe('JetStreamServer options', () => {
  it('accepts a stage deadline of 0 (none) or more', () => {
    expect(() => new JetStreamServer(options({ timeoutMs: 0 }))).not.toThrow();
    expect(() => new JetStreamServer(options({ timeoutMs: 300 }, { abortGraceMs: 0 }))).not.toThrow();
  });

  it('refuses a negative deadline, abort grace or a retry without attempts', () => {
    expect(() => new JetStreamServer(options({ timeoutMs: -1 }))).toThrow(/rate: timeoutMs must be a non-negative/);
    expect(() => new JetStreamServer(options({}, { abortGraceMs: -5 }))).toThrow(/abortGraceMs must be non-negative/);
    expect(() => new JetStreamServer(options({}, { onFailureRetry: { attempts: 0, delayMs: 10 } }))).toThrow(
      /onFailureRetry needs a positive integer of attempts/,
    );
  });
});
