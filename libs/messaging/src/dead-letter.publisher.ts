import type { JetStreamClient } from '@nats-io/jetstream';
import { headers, type MsgHdrs } from '@nats-io/transport-node';
import { Subjects, type JobErrorCode, type Stage } from '@introeval/contracts';

/** Headers a dead letter carries besides the original's trace context. */
export const DeadLetterHeaders = {
  subject: 'Introeval-Original-Subject',
  stage: 'Introeval-Stage',
  error: 'Introeval-Error',
  /** The JobErrorCode the job was (or is to be) failed with: INVALID_INPUT, STAGE_EXHAUSTED or a permanent error's. */
  code: 'Introeval-Error-Code',
  deliveries: 'Introeval-Deliveries',
  streamSequence: 'Introeval-Stream-Seq',
} as const;

export interface DeadLetter {
  stage: Stage;
  /** The work stream and sequence of the original: together they name it uniquely. */
  stream: string;
  streamSequence: number;
  subject: string;
  data: Uint8Array;
  headers: MsgHdrs | undefined;
  error: string;
  code: JobErrorCode;
  deliveries: number;
}

/** Where the dead letter is stored; `duplicate` when this original had already been dead-lettered (stored once). */
export interface StoredDeadLetter {
  seq: number;
  duplicate: boolean;
}

const HEADER_VALUE_LIMIT = 1024;
const COPIED_HEADERS = ['traceparent', 'tracestate'];

/** Publishes a copy of a given-up message (or of an unreadable one) to `introeval.dlq.<stage>`, kept for inspection. */
export class DeadLetterPublisher {
  constructor(private readonly js: JetStreamClient) {}

  async publish(letter: DeadLetter): Promise<StoredDeadLetter> {
    const h = headers();
    for (const key of COPIED_HEADERS) {
      const value = letter.headers?.get(key);
      if (value) h.set(key, value);
    }
    h.set(DeadLetterHeaders.subject, letter.subject);
    h.set(DeadLetterHeaders.stage, letter.stage);
    h.set(DeadLetterHeaders.error, headerValue(letter.error));
    h.set(DeadLetterHeaders.code, letter.code);
    h.set(DeadLetterHeaders.deliveries, String(letter.deliveries));
    h.set(DeadLetterHeaders.streamSequence, String(letter.streamSequence));
    // The id names the stored original, so the transport's own give-up and every replica answering the same
    // max-deliveries advisory all land on one dead letter (within the stream's duplicate window).
    const ack = await this.js.publish(Subjects.deadLetter(letter.stage), letter.data, {
      msgID: `${letter.stream}:${letter.streamSequence}`,
      headers: h,
    });
    return { seq: ack.seq, duplicate: ack.duplicate };
  }
}

/** NATS header values are one line of text. */
export function headerValue(text: string): string {
  const line = text.replace(/[\r\n]+/g, ' ').trim();
  return line.length > HEADER_VALUE_LIMIT ? `${line.slice(0, HEADER_VALUE_LIMIT - 3)}...` : line || '-';
}
