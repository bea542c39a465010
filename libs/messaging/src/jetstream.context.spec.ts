import type { JsMsg } from '@nats-io/jetstream';
import { JetStreamContext } from './jetstream.context.js';

/** A message that counts the working() calls it gets. */
function fakeMessage(): { message: JsMsg; workingCalls: () => number } {
  let calls = 0;
  const message = {
    subject: 'introeval.stage.rate',
    info: { deliveryCount: 2 },
    working: () => {
      calls++;
    },
  } as unknown as JsMsg;
  return { message, workingCalls: () => calls };
}

describe('JetStreamContext', () => {
  it('forwards working() until its signal aborts', () => {
    const { message, workingCalls } = fakeMessage();
    const controller = new AbortController();
    const ctx = new JetStreamContext(message, 'rate', controller.signal);

    ctx.working();
    controller.abort(new Error('stage rate exceeded its time limit of 1 s'));
    ctx.working();

    expect(workingCalls()).toBe(1);
    expect(ctx.signal.aborted).toBe(true);
    expect(ctx).toMatchObject({ stage: 'rate', subject: 'introeval.stage.rate', deliveryCount: 2 });
  });

  it('built without a signal, has one that never aborts', () => {
    const { message, workingCalls } = fakeMessage();
    const ctx = new JetStreamContext(message, 'rate');
    ctx.working();
    expect(ctx.signal.aborted).toBe(false);
    expect(workingCalls()).toBe(1);
  });
});
