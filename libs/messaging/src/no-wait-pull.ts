import type { DeliveryInfo } from '@nats-io/jetstream';
import { createInbox, type Msg, type MsgHdrs, type NatsConnection } from '@nats-io/transport-node';
import type { WorkMessage } from './work-message.js';

const ACK = '+ACK';
const WORKING = '+WPI';
const TERM = '+TERM';
/** The server answers a no-wait pull at once; this only guards against a lost reply. */
const DEFAULT_REPLY_TIMEOUT_MS = 2000;

/**
 * One no-wait pull request: the server hands over up to `batch` waiting messages and ends the request at once (status
 * 404 when it had none, 408 when it had fewer). Stages gated on the GPU lease pull this way because a waiting pull
 * request lives on in the server after the client stops listening: a message delivered into it is lost to ack_wait,
 * and, worse, would arrive after the worker told the scheduler it was idle. A no-wait pull never outlives its reply.
 */
export async function pullNoWait(
  nc: NatsConnection,
  stream: string,
  consumer: string,
  batch: number,
  replyTimeoutMs = DEFAULT_REPLY_TIMEOUT_MS,
): Promise<WorkMessage[]> {
  const inbox = createInbox();
  const sub = nc.subscribe(inbox, { timeout: replyTimeoutMs });
  const received: WorkMessage[] = [];
  nc.publish(`$JS.API.CONSUMER.MSG.NEXT.${stream}.${consumer}`, JSON.stringify({ batch, no_wait: true }), {
    reply: inbox,
  });
  try {
    for await (const msg of sub) {
      const status = msg.headers?.code ?? 0;
      if (status >= 400) break; // 404 no messages, 408 fewer than asked, 409 consumer gone / limits
      if (!msg.reply) continue;
      received.push(new PulledMessage(nc, msg));
      if (received.length >= batch) break;
    }
  } catch (error) {
    // A lost reply or a reconnect: whatever arrived is ours to process; the rest the server redelivers after ack_wait.
    if (received.length === 0) throw error;
  } finally {
    sub.unsubscribe();
  }
  return received;
}

/** A message from a no-wait pull, acked through its reply subject like nats.js's own JsMsg. */
class PulledMessage implements WorkMessage {
  readonly info: DeliveryInfo;
  private settled = false;

  constructor(
    private readonly nc: NatsConnection,
    private readonly msg: Msg,
  ) {
    this.info = parseDeliveryInfo(msg.reply!);
  }

  get data(): Uint8Array {
    return this.msg.data;
  }

  get subject(): string {
    return this.msg.subject;
  }

  get seq(): number {
    return this.info.streamSequence;
  }

  get headers(): MsgHdrs | undefined {
    return this.msg.headers;
  }

  working(): void {
    if (!this.settled) this.msg.respond(WORKING);
  }

  nak(millis?: number): void {
    if (this.settled) return;
    this.settled = true;
    this.msg.respond(millis && millis > 0 ? `-NAK ${JSON.stringify({ delay: millis * 1_000_000 })}` : '-NAK');
  }

  term(): void {
    if (this.settled) return;
    this.settled = true;
    this.msg.respond(TERM);
  }

  async ackAck(): Promise<boolean> {
    if (this.settled) return false;
    this.settled = true;
    await this.nc.request(this.msg.reply!, ACK, { timeout: 5000 });
    return true;
  }
}

/**
 * The ack subject carries the delivery state: `$JS.ACK.<stream>.<consumer>.<delivered>.<sseq>.<cseq>.<ns>.<pending>`,
 * or, from newer servers, the same after a domain and an account hash (and a random token at the end).
 */
export function parseDeliveryInfo(reply: string): DeliveryInfo {
  const tokens = reply.split('.');
  if (tokens.length === 9) tokens.splice(2, 0, '_', '');
  if (tokens.length < 11 || tokens[0] !== '$JS' || tokens[1] !== 'ACK') {
    throw new Error(`not a JetStream ack subject: ${reply}`);
  }
  const deliveryCount = Number(tokens[6]);
  return {
    domain: tokens[2] === '_' ? '' : tokens[2],
    account_hash: tokens[3],
    stream: tokens[4],
    consumer: tokens[5],
    deliveryCount,
    redelivered: deliveryCount > 1,
    streamSequence: Number(tokens[7]),
    deliverySequence: Number(tokens[8]),
    timestampNanos: Number(tokens[9]),
    pending: Number(tokens[10]),
  };
}
