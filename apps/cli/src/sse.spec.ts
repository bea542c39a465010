import { describe, expect, it } from '@jest/globals';
import { readServerEvents } from './sse.js';

function body(...chunks: string[]): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  return new ReadableStream({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(encoder.encode(chunk));
      controller.close();
    },
  });
}

async function all(stream: ReadableStream<Uint8Array>) {
  const events = [];
  for await (const event of readServerEvents(stream)) events.push(event);
  return events;
}

describe('readServerEvents', () => {
  it('reads typed JSON events split anywhere across chunks, skipping comments', async () => {
    const events = await all(body('event: sta', 'tus\ndata: {"a":', '1}\n\n: keep-alive\n\n', 'event: end\r\ndata: {}\r\n\r\n'));
    expect(events).toEqual([
      { type: 'status', data: { a: 1 } },
      { type: 'end', data: {} },
    ]);
  });

  it('joins multi-line data, names untyped events `message`, and drops an event the stream cut off', async () => {
    const events = await all(body('data: line one\ndata: line two\n\nevent: status\ndata: {"cut":'));
    expect(events).toEqual([{ type: 'message', data: 'line one\nline two' }]);
  });
});
