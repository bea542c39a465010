import { jetstream, type JetStreamClient } from '@nats-io/jetstream';
import { headers, type NatsConnection } from '@nats-io/transport-node';
import { injectTraceContext } from '@introeval/telemetry';

export interface PublishOptions {
  /** Sets Nats-Msg-Id: a second publish with the same id inside the stream's duplicate window is stored once. */
  msgId?: string;
}

export interface PublishResult {
  stream: string;
  seq: number;
  /** True when the stream already held a message with this msgId (nothing new was stored). */
  duplicate: boolean;
}

/** Publishes JSON to JetStream with the active trace context, so the consumer's span joins the producer's trace. */
export class JetStreamPublisher {
  private readonly js: JetStreamClient;

  constructor(connection: NatsConnection) {
    this.js = jetstream(connection);
  }

  /** Resolves once the stream has stored the message (or recognised it as a duplicate). */
  async publish(subject: string, payload: object, options: PublishOptions = {}): Promise<PublishResult> {
    const h = headers();
    injectTraceContext((key, value) => h.set(key, value));
    const ack = await this.js.publish(subject, JSON.stringify(payload), {
      headers: h,
      ...(options.msgId ? { msgID: options.msgId } : {}),
    });
    return { stream: ack.stream, seq: ack.seq, duplicate: ack.duplicate };
  }
}
