import { context, propagation, trace, type Context, type Span, type Tracer } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { BasicTracerProvider } from '@opentelemetry/sdk-trace-base';

let provider: BasicTracerProvider | null = null;

/**
 * Starts tracing for this process: W3C trace-context propagation and a tracer provider, so every span gets real
 * ids and a `traceparent` travels in NATS headers from upload to result. Call it before Nest creates the app.
 * Exporting spans (OTLP) is switched on by the tracing work; until then spans are created and dropped.
 */
export function startTelemetry(serviceName: string): void {
  if (provider) return;
  const contextManager = new AsyncLocalStorageContextManager();
  contextManager.enable();
  context.setGlobalContextManager(contextManager);
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  provider = new BasicTracerProvider();
  trace.setGlobalTracerProvider(provider);
  serviceTracerName = serviceName;
}

let serviceTracerName = 'introeval';

export function tracer(): Tracer {
  return trace.getTracer(serviceTracerName);
}

/** Writes the active context's `traceparent` (and `tracestate`) into a header setter. */
export function injectTraceContext(set: (key: string, value: string) => void, ctx: Context = context.active()): void {
  const carrier: Record<string, string> = {};
  propagation.inject(ctx, carrier);
  for (const [key, value] of Object.entries(carrier)) set(key, value);
}

/** Reads a context from headers (`traceparent`), falling back to the active one. */
export function extractTraceContext(get: (key: string) => string | undefined): Context {
  return propagation.extract(context.active(), null, {
    keys: () => ['traceparent', 'tracestate'],
    get: (_carrier, key) => get(key),
  });
}

/** The active span's `traceparent` header value, or null when there is none. */
export function currentTraceparent(): string | null {
  let value: string | null = null;
  injectTraceContext((key, v) => {
    if (key === 'traceparent') value = v;
  });
  return value;
}

/** Runs `fn` inside a new active span that ends (with error status on throw) when `fn` settles. */
export async function inSpan<T>(name: string, parent: Context, fn: (span: Span) => Promise<T>): Promise<T> {
  return tracer().startActiveSpan(name, {}, parent, async (span) => {
    try {
      return await fn(span);
    } catch (error) {
      span.recordException(error as Error);
      span.setStatus({ code: 2, message: (error as Error).message });
      throw error;
    } finally {
      span.end();
    }
  });
}

/** Flushes and stops the tracer provider (on shutdown). */
export async function stopTelemetry(): Promise<void> {
  await provider?.shutdown();
  provider = null;
}
