import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ErrorCode, IntroEvalError } from '@introeval/contracts';
import { engineCall, isConnectionError } from './engine-call.js';
import { EngineHttpError } from './engine-http.error.js';
import { engineRequest, type EngineRequest } from './engine-request.js';
import { isRetryableStatus, RETRYABLE_STATUSES } from './retryable-status.js';

/** What the stand-in server does with the next requests, in order; then it answers 200 `{"ok":true}`. */
type Reply = { status: number; body?: string; headers?: Record<string, string> } | 'hang' | 'reset';

// A real HTTP server on a free loopback port: these tests are about the wire (statuses, resets, stalls), not a model.
describe('engine HTTP on a real server', () => {
  let server: Server;
  let base: string;
  let replies: Reply[] = [];
  let seen: { method: string; url: string; body: string }[] = [];
  const hung: ServerResponse[] = [];

  beforeAll(async () => {
    server = createServer((req: IncomingMessage, res: ServerResponse) => {
      let body = '';
      req.setEncoding('utf8');
      req.on('data', (chunk: string) => (body += chunk));
      req.on('end', () => {
        seen.push({ method: req.method ?? '', url: req.url ?? '', body });
        const reply = replies.shift() ?? { status: 200, body: '{"ok":true}' };
        if (reply === 'hang') return void hung.push(res);
        if (reply === 'reset') return void req.socket.destroy();
        res.writeHead(reply.status, reply.headers).end(reply.body ?? '');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    for (const res of hung) res.destroy();
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  beforeEach(() => {
    replies = [];
    seen = [];
  });

  describe('engineCall', () => {
    it('resolves with the status and the whole body of a 2xx answer, sending the given method and body', async () => {
      const response = await engineCall({ url: `${base}/api/generate`, init: { method: 'POST', body: '{"model":"m"}' } });
      expect(response).toEqual({ status: 200, body: '{"ok":true}' });
      expect(seen).toEqual([{ method: 'POST', url: '/api/generate', body: '{"model":"m"}' }]);
    });

    it('accepts the okStatuses as answers', async () => {
      replies = [{ status: 409, body: 'already loaded' }];
      await expect(engineCall({ url: `${base}/api/ps/m`, init: { method: 'POST' }, okStatuses: [409] })).resolves.toEqual({
        status: 409,
        body: 'already loaded',
      });
    });

    it("rejects any other status with EngineHttpError quoting the server's own message", async () => {
      replies = [{ status: 404, body: JSON.stringify({ detail: "Model 'x' is not installed locally" }), headers: { 'retry-after': '2' } }];
      const error = await engineCall({ url: `${base}/api/ps/x`, init: { method: 'DELETE' } }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(EngineHttpError);
      expect(error).toMatchObject({ status: 404, retryAfterMs: 2000, detail: "answered 404: Model 'x' is not installed locally" });
      expect((error as Error).message).toBe(`DELETE ${base}/api/ps/x: answered 404: Model 'x' is not installed locally`);
    });

    it('rejects with a connection error that isConnectionError recognises when nothing listens', async () => {
      const closed = createServer();
      await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
      const url = `http://127.0.0.1:${(closed.address() as AddressInfo).port}/api/ps`;
      await new Promise((resolve) => closed.close(resolve));
      const error = await engineCall({ url }).catch((e: unknown) => e);
      expect(isConnectionError(error)).toBe(true);
      expect(isConnectionError(new EngineHttpError('GET x', 500, ''))).toBe(false);
    });
  });

  describe('engineRequest', () => {
    const request = (over: Partial<EngineRequest> = {}): EngineRequest => ({
      what: 'ollama POST /api/chat',
      url: `${base}/api/chat`,
      init: () => ({ method: 'POST', body: '{}' }),
      timeoutMs: 5000,
      retry: { retries: 2, backoffMs: [1] },
      ...over,
    });

    it('retries a retryable status and a reset connection, then resolves', async () => {
      replies = [{ status: 503, body: '{"error":"server busy"}' }, 'reset'];
      await expect(engineRequest(request())).resolves.toEqual({ status: 200, body: '{"ok":true}' });
      expect(seen).toHaveLength(3);
    });

    it('gives up with a transient ENGINE_UNAVAILABLE quoting the server once the attempts are spent', async () => {
      replies = Array.from({ length: 3 }, () => ({ status: 429, body: '{"error":"slow down"}' }));
      const error = await engineRequest(request()).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(IntroEvalError);
      expect(error).toMatchObject({ code: ErrorCode.EngineUnavailable, permanent: false });
      expect((error as Error).message).toBe('ollama POST /api/chat: answered 429: slow down (3 attempts)');
    });

    it("waits for the server's Retry-After when it is longer than the backoff", async () => {
      replies = [{ status: 503, headers: { 'retry-after': '0.3' } }];
      const started = Date.now();
      await engineRequest(request());
      expect(Date.now() - started).toBeGreaterThanOrEqual(280);
    });

    it('does not retry a status that will not change (404): INTERNAL, transient', async () => {
      replies = [{ status: 404, body: '{"error":"model \\"m\\" not found"}' }];
      const error = await engineRequest(request()).catch((e: unknown) => e);
      expect(error).toMatchObject({ code: ErrorCode.Internal, permanent: false, message: 'ollama POST /api/chat: answered 404: model "m" not found' });
      expect(seen).toHaveLength(1);
    });

    it('times out a stalled attempt without retrying it', async () => {
      replies = ['hang'];
      const error = await engineRequest(request({ timeoutMs: 200 })).catch((e: unknown) => e);
      expect(error).toMatchObject({ code: ErrorCode.EngineUnavailable, message: 'ollama POST /api/chat: no answer within 200 ms' });
      expect(seen).toHaveLength(1);
    });

    it("rejects with the caller's abort reason, in flight or during a backoff", async () => {
      replies = ['hang'];
      const inFlight = new AbortController();
      setTimeout(() => inFlight.abort(new Error('stage deadline')), 100);
      await expect(engineRequest(request({ signal: inFlight.signal }))).rejects.toThrow('stage deadline');

      replies = [{ status: 503 }];
      const backingOff = new AbortController();
      const pending = engineRequest(request({ signal: backingOff.signal, retry: { retries: 1, backoffMs: [10_000] } }));
      setTimeout(() => backingOff.abort(new Error('worker stopping')), 100);
      await expect(pending).rejects.toThrow('worker stopping');
    });
  });

  it('shares one list of retryable statuses', () => {
    expect(RETRYABLE_STATUSES.filter(isRetryableStatus)).toEqual([408, 425, 429, 500, 502, 503, 504]);
    expect([400, 404, 409, 501].some(isRetryableStatus)).toBe(false);
  });
});
