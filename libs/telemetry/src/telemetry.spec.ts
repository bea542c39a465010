import { context } from '@opentelemetry/api';
import { currentTraceparent, extractTraceContext, inSpan, startTelemetry } from './telemetry.js';

describe('telemetry', () => {
  beforeAll(() => startTelemetry('spec'));

  it('carries one trace id from an injected traceparent into child spans', async () => {
    const outer = await inSpan('submit', context.active(), async () => currentTraceparent());
    expect(outer).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);

    const headers = new Map([['traceparent', outer!]]);
    const parent = extractTraceContext((key) => headers.get(key));
    const inner = await inSpan('stage', parent, async () => currentTraceparent());
    expect(inner!.split('-')[1]).toBe(outer!.split('-')[1]);
    expect(inner!.split('-')[2]).not.toBe(outer!.split('-')[2]);
  });

  it('has no traceparent outside a span', () => {
    expect(currentTraceparent()).toBeNull();
  });
});
