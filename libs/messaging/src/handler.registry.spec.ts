import type { MessageHandler } from '@nestjs/microservices';
import { STAGE_SUBJECT } from '@introeval/contracts';
import { resolveStageHandlers } from './handler.registry.js';

function handler(extra: Partial<MessageHandler> = {}): MessageHandler {
  return Object.assign(() => Promise.resolve(undefined), { isEventHandler: true }, extra);
}

describe('resolveStageHandlers', () => {
  it('pairs each declared stage with its one event handler', () => {
    const extract = handler();
    const resolved = resolveStageHandlers(new Map([[STAGE_SUBJECT.extract, extract]]), ['extract']);
    expect(resolved.get('extract')).toBe(extract);
  });

  it('names every problem at once', () => {
    const handlers = new Map<string, MessageHandler>([
      [STAGE_SUBJECT.extract, handler({ next: () => Promise.resolve(undefined) })],
      [STAGE_SUBJECT.rate, handler({ isEventHandler: false })],
      ['introeval.stage.unknown', handler()],
    ]);
    expect(() => resolveStageHandlers(handlers, ['extract', 'rate', 'transcribe', 'transcribe'])).toThrow(
      new RegExp(
        [
          'two or more @EventPattern handlers for introeval.stage.extract',
          'introeval.stage.rate is a @MessagePattern',
          'no @EventPattern handler for introeval.stage.transcribe',
          'stage transcribe is declared twice',
          'a handler listens on introeval.stage.unknown but no consumer is declared',
        ].join('.*'),
      ),
    );
  });
});
