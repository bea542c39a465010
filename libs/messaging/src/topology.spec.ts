import { AckPolicy, RetentionPolicy } from '@nats-io/jetstream';
import { nanos } from '@nats-io/transport-node';
import { Streams } from '@introeval/contracts';
import { stageConsumerConfig, streamConfigs } from './topology.js';

describe('streamConfigs', () => {
  it('describes the work queue, the events and the dead letters', () => {
    const [work, events, dlq] = streamConfigs({ duplicateWindowMs: 30_000 });
    expect(work).toMatchObject({
      name: Streams.work,
      subjects: ['introeval.job.submitted', 'introeval.stage.*'],
      retention: RetentionPolicy.Workqueue,
      duplicate_window: nanos(30_000),
    });
    expect(events).toMatchObject({ name: Streams.events, subjects: ['introeval.event.>'], max_age: nanos(14 * 86_400_000) });
    expect(dlq).toMatchObject({ name: Streams.deadLetters, subjects: ['introeval.dlq.>'], max_age: nanos(30 * 86_400_000) });
    expect(events.duplicate_window).toBe(nanos(120_000));
  });
});

describe('stageConsumerConfig', () => {
  it('is a durable named after the stage, filtered on its subject, never pending fewer than its concurrency', () => {
    const config = stageConsumerConfig('transcribe', { concurrency: 2000, ackWaitMs: 60_000, maxDeliver: 4 });
    expect(config).toMatchObject({
      durable_name: 'transcribe',
      filter_subject: 'introeval.stage.transcribe',
      ack_policy: AckPolicy.Explicit,
      ack_wait: nanos(60_000),
      max_deliver: 4,
      max_ack_pending: 2000,
    });
    expect(stageConsumerConfig('rate', { concurrency: 2, ackWaitMs: 1000, maxDeliver: 1 }).max_ack_pending).toBe(1000);
  });
});
