import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from '@jest/globals';
import { ApiClient, ApiError, type JobAnswer } from './api-client.js';
import { WaitTimeoutError } from './wait-for-result.js';
import { watchJob } from './watch-job.js';

type Handler = (request: IncomingMessage, response: ServerResponse, n: number) => void;

/** A real HTTP server on a free loopback port answering the n-th request with `handler`. */
async function gateway(handler: Handler) {
  let n = 0;
  const requests: IncomingMessage[] = [];
  const server: Server = createServer((request, response) => {
    requests.push(request);
    handler(request, response, ++n);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

const job = (id: string, status: JobAnswer['status'], stage: JobAnswer['stage'], position = 0) =>
  ({ id, status, stage, feedback: [], position: [{ stage, position, queued: position, current: true }], waitingFor: null, eta: null }) as unknown as JobAnswer;

function open(response: ServerResponse): void {
  response.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
}
const event = (type: string, data: unknown) => `event: ${type}\ndata: ${JSON.stringify(data)}\n\n`;

describe('watchJob', () => {
  it('follows the stream to the final status, reconnecting after a drop and after an `unavailable` event', async () => {
    const id = randomUUID();
    const server = await gateway((_request, response, n) => {
      open(response);
      if (n === 1) {
        response.write(event('status', job(id, 'queued', 'transcribe', 3)));
        setTimeout(() => response.socket?.destroy(), 20); // the connection drops
      } else if (n === 2) {
        response.end(event('unavailable', { error: { code: 'UNAVAILABLE', message: 'status is restarting' } }));
      } else {
        response.write(event('status', job(id, 'processing', 'extract')));
        response.write(event('ping', {}));
        response.end(event('status', job(id, 'completed', 'rate')) + event('end', {}));
      }
    });
    const seen: string[] = [];
    const lost: string[] = [];
    try {
      const final = await watchJob(new ApiClient(server.url), id, { receipt: 'r' }, {
        timeoutMs: 10_000,
        initialBackoffMs: 10,
        onStatus: (s) => seen.push(`${s.status}/${s.stage}`),
        events: { connectionLost: (reason) => lost.push(reason) },
      });
      expect(final.status).toBe('completed');
      expect(seen).toEqual(['queued/transcribe', 'processing/extract', 'completed/rate']);
      expect(server.requests).toHaveLength(3);
      expect(server.requests.every((r) => r.headers['x-receipt'] === 'r' && r.url === `/api/submissions/${id}/events`)).toBe(true);
      expect(lost).toHaveLength(1); // one notice for the run of failures, not one per retry
    } finally {
      await server.close();
    }
  });

  it('gives up on a refusal at once, with the gateway’s code', async () => {
    const server = await gateway((_request, response) => {
      response.writeHead(403, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ error: { code: 'FORBIDDEN', message: 'this receipt is for another submission' } }));
    });
    try {
      const watching = watchJob(new ApiClient(server.url), randomUUID(), { receipt: 'r' }, { timeoutMs: 5000 });
      await expect(watching).rejects.toEqual(new ApiError(403, 'FORBIDDEN', 'this receipt is for another submission'));
      expect(server.requests).toHaveLength(1);
    } finally {
      await server.close();
    }
  });

  it('ends with WaitTimeoutError carrying the last status when the job outlasts the timeout', async () => {
    const id = randomUUID();
    const server = await gateway((_request, response) => {
      open(response);
      response.write(event('status', job(id, 'queued', 'rate', 2))); // and then nothing more
    });
    try {
      const error = await watchJob(new ApiClient(server.url), id, { receipt: 'r' }, { timeoutMs: 300 }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(WaitTimeoutError);
      expect((error as WaitTimeoutError).last?.stage).toBe('rate');
    } finally {
      await server.close();
    }
  });
});
