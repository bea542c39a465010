import { openAsBlob } from 'node:fs';
import { basename } from 'node:path';
import type { SubmissionResult, SubmissionStatus } from '@introeval/contracts';
import type { NodeListing, QueueListing } from '@introeval/status-api';
import { readServerEvents, type ServerEvent } from './sse.js';

export interface Accepted {
  id: string;
  receipt: string;
}

export interface Credentials {
  receipt?: string;
  adminToken?: string;
}

/** What `GET /api/submissions/:id` answers; a gateway without a status service leaves out the place in line. */
export type JobAnswer = SubmissionResult & Partial<Pick<SubmissionStatus, 'position' | 'waitingFor' | 'eta'>>;

/** `Retry-After` as milliseconds from now: delay-seconds or an HTTP date; undefined when absent or unreadable. */
export function parseRetryAfter(value: string | null, now = Date.now()): number | undefined {
  const trimmed = value?.trim();
  if (!trimmed) return undefined;
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** An error answer from the gateway: `{ error: { code, message } }` with its HTTP status. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** From the `Retry-After` header, when the gateway sent one. */
    readonly retryAfterMs?: number,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** The gateway could not be reached at all. */
export class ConnectionError extends Error {
  /** True when asking again cannot help (fetch refuses the port outright). */
  readonly permanent: boolean;

  constructor(url: string, cause: unknown) {
    const reason = (cause as Error)?.cause ? String(((cause as Error).cause as Error).message) : (cause as Error).message;
    super(`cannot reach IntroEval at ${url}: ${reason}`);
    this.name = 'ConnectionError';
    this.permanent = reason === 'bad port';
  }
}

/** The gateway's HTTP API, as the CLI uses it. */
export class ApiClient {
  constructor(private readonly baseUrl: string) {}

  /** Streams the file from disk (never read whole into memory). */
  async submitFile(path: string, options: { studentId?: string; idempotencyKey?: string }): Promise<Accepted> {
    const form = new FormData();
    if (options.studentId) form.append('studentId', options.studentId);
    form.append('file', await openAsBlob(path), basename(path));
    return this.request<Accepted>('POST', '/api/submissions', form, this.keyHeader(options.idempotencyKey));
  }

  async submitText(text: string, options: { studentId?: string; idempotencyKey?: string }): Promise<Accepted> {
    const body = JSON.stringify({ text, ...(options.studentId ? { studentId: options.studentId } : {}) });
    return this.request<Accepted>('POST', '/api/submissions', body, {
      'content-type': 'application/json',
      ...this.keyHeader(options.idempotencyKey),
    });
  }

  /** `signal` bounds the whole request (answer and body); when it fires the request fails as a ConnectionError. */
  async get(id: string, auth: Credentials, options: { signal?: AbortSignal } = {}): Promise<JobAnswer> {
    return this.request<JobAnswer>('GET', `/api/submissions/${encodeURIComponent(id)}`, undefined, authHeaders(auth), options.signal);
  }

  /** Admin: the stage queues. */
  async queues(adminToken: string): Promise<QueueListing> {
    return this.request<QueueListing>('GET', '/api/status/queues', undefined, authHeaders({ adminToken }));
  }

  /** Admin: the GPU nodes. */
  async nodes(adminToken: string): Promise<NodeListing> {
    return this.request<NodeListing>('GET', '/api/status/nodes', undefined, authHeaders({ adminToken }));
  }

  /**
   * The job's live events (`GET /api/submissions/:id/events`) until the server ends the stream or `signal` fires.
   * An error answer before the stream starts is an ApiError; a dropped connection a ConnectionError.
   */
  async *events(id: string, auth: Credentials, signal?: AbortSignal): AsyncGenerator<ServerEvent> {
    const url = new URL(`/api/submissions/${encodeURIComponent(id)}/events`, this.baseUrl);
    let response: Response;
    try {
      response = await fetch(url, { headers: { accept: 'text/event-stream', ...authHeaders(auth) }, signal });
    } catch (error) {
      throw new ConnectionError(this.baseUrl, error);
    }
    if (!response.ok || !response.body) throw this.errorOf(response, await response.text());
    try {
      yield* readServerEvents(response.body);
    } catch (error) {
      if (signal?.aborted) return;
      throw new ConnectionError(this.baseUrl, error);
    }
  }

  private keyHeader(key: string | undefined): Record<string, string> {
    return key ? { 'idempotency-key': key } : {};
  }

  private async request<T>(
    method: string,
    path: string,
    body: RequestInit['body'],
    headers: Record<string, string>,
    signal?: AbortSignal,
  ): Promise<T> {
    const url = new URL(path, this.baseUrl);
    let response: Response;
    let text: string;
    try {
      response = await fetch(url, { method, body, headers, signal });
      text = await response.text();
    } catch (error) {
      const timedOut = (error as Error)?.name === 'TimeoutError';
      throw new ConnectionError(this.baseUrl, timedOut ? new Error('no answer in time') : error);
    }
    const json = parseJson(text);
    if (!response.ok) throw this.errorOf(response, text, json);
    if (json === null || typeof json !== 'object') {
      throw new ApiError(response.status, 'HTTP_NOT_JSON', `the answer is not JSON: ${text.slice(0, 200)}`);
    }
    return json as T;
  }

  private errorOf(response: Response, text: string, json: unknown = parseJson(text)): ApiError {
    const error = (json as { error?: { code?: string; message?: string } } | null)?.error;
    return new ApiError(
      response.status,
      error?.code ?? `HTTP_${response.status}`,
      error?.message ?? (text.slice(0, 200) || response.statusText),
      parseRetryAfter(response.headers.get('retry-after')),
    );
  }
}

function authHeaders(auth: Credentials): Record<string, string> {
  const headers: Record<string, string> = {};
  if (auth.receipt) headers['x-receipt'] = auth.receipt;
  if (auth.adminToken) headers.authorization = `Bearer ${auth.adminToken}`;
  return headers;
}

/** The body as JSON, or null when it is empty or not JSON (the caller reports that). */
function parseJson(text: string): unknown {
  try {
    return text ? JSON.parse(text) : null;
  } catch {
    return null;
  }
}
