import {
  jetstream,
  JetStreamApiCodes,
  JetStreamApiError,
  type JetStreamClient,
  type JetStreamPublishOptions,
} from '@nats-io/jetstream';
import { headers, type NatsConnection } from '@nats-io/transport-node';
import { injectTraceContext } from '@introeval/telemetry';

export interface PublishOptions {
  /** Sets Nats-Msg-Id: a second publish with the same id inside the stream's duplicate window is stored once. */
  msgId?: string;
  /**
   * Stores the message only if its subject holds no message yet (JetStream's expected last subject sequence 0): a
   * subject such as `introeval.event.completed.<jobId>` then carries at most one message for as long as the stream
   * keeps it (in a work-queue stream: until it is consumed). A refused publish is `duplicate: true`, not an error.
   */
  once?: boolean;
}

export interface PublishResult {
  stream: string;
  /** Where the message is stored; for a duplicate, where the earlier one is. */
  seq: number;
  /**
   * True when nothing new was stored: the stream already held a message with this msgId, or (with `once`) a message
   * on this subject.
   */
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
    const opts: Partial<JetStreamPublishOptions> = { headers: h };
    if (options.msgId) opts.msgID = options.msgId;
    if (options.once) opts.expect = { lastSubjectSequence: 0 };
    try {
      const ack = await this.js.publish(subject, JSON.stringify(payload), opts);
      return { stream: ack.stream, seq: ack.seq, duplicate: ack.duplicate };
    } catch (error) {
      if (options.once && isWrongLastSequence(error)) {
        return { stream: await this.streamOf(subject), seq: earlierSequence(error), duplicate: true };
      }
      throw error;
    }
  }

  /** The stream that stores `subject` ('' when the lookup fails: the refusal itself is the answer that matters). */
  private async streamOf(subject: string): Promise<string> {
    try {
      return await (await this.js.jetstreamManager(false)).streams.find(subject);
    } catch {
      return '';
    }
  }
}

/** The server's refusal of an expected-last-sequence publish (API error 10071, "wrong last sequence: N"). */
function isWrongLastSequence(error: unknown): error is JetStreamApiError {
  return error instanceof JetStreamApiError && error.code === JetStreamApiCodes.StreamWrongLastSequence;
}

/** The sequence of the message already on the subject, which the refusal names. */
function earlierSequence(error: JetStreamApiError): number {
  const match = /wrong last sequence: (\d+)/.exec(error.message);
  return match ? Number(match[1]) : 0;
}
