import { jest } from '@jest/globals';
import { Logger } from '@nestjs/common';
import type { Consumer, ConsumerMessages, JsMsg } from '@nats-io/jetstream';
import type { WorkMessage } from './work-message.js';
import { StageWorker } from './stage.worker.js';

/**
 * A fetch as nats.js returns it, driven by the test: it yields `messages` and ends, or (wedged) never yields nor ends
 * until stop() is called, as a fetch does whose heartbeat watch was not resumed after a reconnect.
 */
function batch(messages: JsMsg[], wedged = false): ConsumerMessages {
  let stop: () => void = () => undefined;
  const stopped = new Promise<void>((resolve) => (stop = resolve));
  async function* iterate(): AsyncGenerator<JsMsg> {
    if (wedged) {
      await stopped;
      return;
    }
    yield* messages;
  }
  return Object.assign(iterate(), { stop: () => stop() }) as unknown as ConsumerMessages;
}

describe('StageWorker', () => {
  it('gives up on a fetch that outlives its expiry and pulls again', async () => {
    const message = { subject: 'introeval.stage.rate', seq: 1 } as JsMsg;
    const fetches = [batch([], true), batch([message])];
    let fetched = 0;
    const consumer = {
      fetch: () => Promise.resolve(fetches[fetched++] ?? batch([], true)),
    } as unknown as Consumer;
    const processed: WorkMessage[] = [];
    const logger = new Logger('spec');
    jest.spyOn(logger, 'warn').mockImplementation(() => undefined);
    const worker = new StageWorker({
      name: 'rate',
      concurrency: 1,
      process: async (msg) => void processed.push(msg),
      logger,
      source: { consumer, expiresMs: 1000, graceMs: 100 },
    });

    const started = Date.now();
    worker.start();
    while (processed.length === 0 && Date.now() - started < 5000) await new Promise((r) => setTimeout(r, 20));
    await worker.stopPulling();

    expect(processed).toEqual([message]);
    // expires (1000 ms) + grace (100 ms), not for ever.
    expect(Date.now() - started).toBeLessThan(3000);
    expect(logger.warn).toHaveBeenCalledWith(expect.stringContaining('outlived its expiry'));
  });
});
