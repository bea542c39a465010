import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { SubmissionResult } from '@introeval/contracts';
import { ApiClient, ApiError, ConnectionError, parseRetryAfter } from './api-client.js';
import { waitForResult, WaitTimeoutError, type WaitOptions } from './wait-for-result.js';

type Handler = (request: IncomingMessage, response: ServerResponse, n: number) => void;

/** A real HTTP server on 127.0.0.1, port 0, that answers the n-th request with `handler`. */
async function gateway(handler: Handler): Promise<{ url: string; requests: IncomingMessage[]; times: number[]; close(): Promise<void> }> {
  const requests: IncomingMessage[] = [];
  const times: number[] = [];
  const server: Server = createServer((request, response) => {
    requests.push(request);
    times.push(Date.now());
    handler(request, response, requests.length);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    times,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function job(id: string, status: SubmissionResult['status']): SubmissionResult {
  return { id, status, stage: 'rate', feedback: [] } as unknown as SubmissionResult;
}

function answer(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  response.writeHead(status, { 'content-type': 'application/json', ...headers });
  response.end(JSON.stringify(body));
}

const unavailable = { error: { code: 'UNAVAILABLE', message: 'try later' } };
const fast: Omit<WaitOptions, 'timeoutMs'> = { pollMs: 10, initialBackoffMs: 10, maxBackoffMs: 40 };

describe('waitForResult', () => {
  const id = randomUUID();
  let server: Awaited<ReturnType<typeof gateway>> | undefined;

  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it('retries 502, 503 and 504 until the job ends, telling once that the connection is lost and once that it is back', async () => {
    server = await gateway((request, response, n) => {
      if (n <= 3) return answer(response, [502, 503, 504][n - 1], unavailable);
      answer(response, 200, job(id, n < 6 ? 'processing' : 'completed'));
    });
    const events: string[] = [];
    const result = await waitForResult(new ApiClient(server.url), id, { receipt: 'R' }, {
      ...fast,
      timeoutMs: 10_000,
      events: {
        connectionLost: (reason) => events.push(`lost ${reason}`),
        connectionBack: () => events.push('back'),
        progress: (progress) => events.push(progress.status),
      },
    });

    expect(result.status).toBe('completed');
    expect(server.requests).toHaveLength(6);
    expect(server.requests.every((request) => request.headers['x-receipt'] === 'R')).toBe(true);
    expect(events).toEqual(['lost HTTP 502 UNAVAILABLE: try later', 'back', 'processing', 'processing']);
  });

  it('retries while nothing listens, and goes on when the gateway comes back on the same port', async () => {
    server = await gateway((_request, response) => answer(response, 200, job(id, 'completed')));
    const url = server.url;
    const port = Number(new URL(url).port);
    await server.close();
    const events: string[] = [];
    const waiting = waitForResult(new ApiClient(url), id, {}, {
      ...fast,
      timeoutMs: 10_000,
      events: { connectionLost: (reason) => events.push(`lost ${reason}`), connectionBack: () => events.push('back') },
    });
    await new Promise((resolve) => setTimeout(resolve, 150));
    const again = createServer((_request, response) => answer(response, 200, job(id, 'failed')));
    await new Promise<void>((resolve) => again.listen(port, '127.0.0.1', resolve));
    try {
      expect((await waiting).status).toBe('failed');
    } finally {
      again.closeAllConnections();
      await new Promise((resolve) => again.close(resolve));
    }
    expect(events).toHaveLength(2);
    expect(events[0]).toMatch(/^lost cannot reach IntroEval at /);
    expect(events[1]).toBe('back');
  });

  it('waits as long as Retry-After says', async () => {
    server = await gateway((_request, response, n) => {
      if (n === 1) return answer(response, 503, unavailable, { 'retry-after': '1' });
      answer(response, 200, job(id, 'completed'));
    });
    await waitForResult(new ApiClient(server.url), id, {}, { ...fast, timeoutMs: 10_000 });
    expect(server.times[1] - server.times[0]).toBeGreaterThanOrEqual(950);
  });

  it('gives up at the timeout, naming the id and how to check later', async () => {
    server = await gateway((_request, response) => answer(response, 503, unavailable));
    const started = Date.now();
    const waiting = waitForResult(new ApiClient(server.url), id, {}, { ...fast, timeoutMs: 300 });
    await expect(waiting).rejects.toThrow(WaitTimeoutError);
    await expect(waiting).rejects.toThrow(`introeval get ${id}`);
    await expect(waiting).rejects.toThrow(id);
    expect(Date.now() - started).toBeLessThan(2000);
    expect(server.requests.length).toBeGreaterThan(1);
  });

  it('gives up at the timeout while the job is still running', async () => {
    server = await gateway((_request, response) => answer(response, 200, job(id, 'processing')));
    const waiting = waitForResult(new ApiClient(server.url), id, {}, { ...fast, timeoutMs: 200 });
    await expect(waiting).rejects.toThrow(/after 0\.2 s \(it is still processing\)/);
  });

  it('does not let a gateway that never answers outlast the timeout', async () => {
    server = await gateway(() => undefined); // accepts, never answers
    const started = Date.now();
    await expect(waitForResult(new ApiClient(server.url), id, {}, { ...fast, timeoutMs: 300 })).rejects.toThrow(WaitTimeoutError);
    expect(Date.now() - started).toBeLessThan(2500);
  });

  it('does not retry a port that fetch refuses outright', async () => {
    const waiting = waitForResult(new ApiClient('http://127.0.0.1:9'), id, {}, { ...fast, timeoutMs: 10_000 });
    await expect(waiting).rejects.toMatchObject({ name: 'ConnectionError', permanent: true });
  });

  it('does not retry an answer that will not change (404, 403, 500)', async () => {
    for (const status of [404, 403, 500]) {
      server = await gateway((_request, response) => answer(response, status, { error: { code: `E${status}`, message: 'no' } }));
      const waiting = waitForResult(new ApiClient(server.url), id, {}, { ...fast, timeoutMs: 10_000 });
      await expect(waiting).rejects.toMatchObject({ name: 'ApiError', status });
      expect(server.requests).toHaveLength(1);
      await server.close();
      server = undefined;
    }
  });
});

describe('ApiClient errors', () => {
  it('carries Retry-After on an ApiError', async () => {
    const server = await gateway((_request, response) => answer(response, 503, unavailable, { 'retry-after': '7' }));
    try {
      const error = await new ApiClient(server.url).get(randomUUID(), {}).catch((thrown: unknown) => thrown);
      expect(error).toBeInstanceOf(ApiError);
      expect(error).toMatchObject({ status: 503, code: 'UNAVAILABLE', retryAfterMs: 7000 });
    } finally {
      await server.close();
    }
  });

  it('turns a request cut off by its signal into a ConnectionError', async () => {
    const server = await gateway(() => undefined);
    try {
      const error = await new ApiClient(server.url).get(randomUUID(), {}, { signal: AbortSignal.timeout(50) }).catch((thrown: unknown) => thrown);
      expect(error).toBeInstanceOf(ConnectionError);
      expect((error as Error).message).toContain('no answer in time');
    } finally {
      await server.close();
    }
  });
});

describe('parseRetryAfter', () => {
  it('reads seconds and HTTP dates, and nothing else', () => {
    const now = Date.parse('2030-01-01T00:00:00Z');
    expect(parseRetryAfter('120', now)).toBe(120_000);
    expect(parseRetryAfter('Tue, 01 Jan 2030 00:00:30 GMT', now)).toBe(30_000);
    expect(parseRetryAfter('Mon, 31 Dec 2029 00:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfter(null, now)).toBeUndefined();
    expect(parseRetryAfter('soon', now)).toBeUndefined();
  });
});
