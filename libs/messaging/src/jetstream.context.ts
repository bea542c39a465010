import type { JsMsg } from '@nats-io/jetstream';
import type { MsgHdrs } from '@nats-io/transport-node';
import { BaseRpcContext } from '@nestjs/microservices';
import type { Stage } from '@introeval/contracts';

/** What a handler gets with `@Ctx()`: the JetStream message being processed and its delivery state. */
export class JetStreamContext extends BaseRpcContext<[JsMsg, Stage]> {
  constructor(message: JsMsg, stage: Stage) {
    super([message, stage]);
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

  /** Resets the server's ack timer now (the transport also does so every ackWait/3 while the handler runs). */
  working(): void {
    this.args[0].working();
  }

  /** The raw message. Acking, nak-ing or terminating it is the transport's job: doing it here breaks retries. */
  get message(): JsMsg {
    return this.args[0];
  }
}
