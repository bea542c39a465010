import type { MsgHdrs } from '@nats-io/transport-node';
import { BaseRpcContext } from '@nestjs/microservices';
import type { Stage } from '@introeval/contracts';
import type { WorkMessage } from './work-message.js';

/** The signal of a context built without one: it never aborts. */
const NEVER_ABORTED = new AbortController().signal;

/** What a handler gets with `@Ctx()`: the JetStream message being processed and its delivery state. */
export class JetStreamContext extends BaseRpcContext<[WorkMessage, Stage]> {
  /**
   * Aborts when the stage's `timeoutMs` runs out (reason: an Error saying the stage exceeded its time limit) or when
   * close() stops waiting for running handlers (reason: an Error saying the worker is shutting down). Pass it to
   * engines so they kill their child processes. Once it aborts, the message is never acked, whatever the handler
   * then returns: it is retried (deadline) or handed to another worker (shutdown).
   */
  readonly signal: AbortSignal;

  /**
   * The GPU lease epoch this message was pulled under, or null for a stage not gated on the lease. Engines stamp it on
   * their calls and the stage writes it into the job record, so every GPU call can be checked against its grant.
   */
  readonly epoch: number | null;

  constructor(message: WorkMessage, stage: Stage, signal: AbortSignal = NEVER_ABORTED, epoch: number | null = null) {
    super([message, stage]);
    this.signal = signal;
    this.epoch = epoch;
  }

  get stage(): Stage {
    return this.args[1];
  }

  get subject(): string {
    return this.args[0].subject;
  }

  /** 1 on the first delivery; the transport gives up once it reaches the consumer's maxDeliver. */
  get deliveryCount(): number {
    return this.args[0].info.deliveryCount;
  }

  get headers(): MsgHdrs | undefined {
    return this.args[0].headers;
  }

  /**
   * Resets the server's ack timer now (the transport also does so every ackWait/3 while the handler runs). Does
   * nothing once `signal` has aborted: an aborted handler must not keep its message from being redelivered.
   */
  working(): void {
    if (this.signal.aborted) return;
    this.args[0].working();
  }

  /** The raw message. Acking, nak-ing or terminating it is the transport's job: doing it here breaks retries. */
  get message(): WorkMessage {
    return this.args[0];
  }
}
