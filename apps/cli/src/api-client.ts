import { openAsBlob } from 'node:fs';
import { basename } from 'node:path';
import type { SubmissionResult } from '@introeval/contracts';

export interface Accepted {
  id: string;
  receipt: string;
}

export interface Credentials {
  receipt?: string;
  adminToken?: string;
}

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
  async get(id: string, auth: Credentials, options: { signal?: AbortSignal } = {}): Promise<SubmissionResult> {
    const headers: Record<string, string> = {};
    if (auth.receipt) headers['x-receipt'] = auth.receipt;
    if (auth.adminToken) headers.authorization = `Bearer ${auth.adminToken}`;
    return this.request<SubmissionResult>('GET', `/api/submissions/${encodeURIComponent(id)}`, undefined, headers, options.signal);
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
    let json: unknown = null;
    try {
      json = text ? JSON.parse(text) : null;
    } catch {
      // not JSON: reported below
    }
    if (!response.ok) {
      const error = (json as { error?: { code?: string; message?: string } } | null)?.error;
      throw new ApiError(
        response.status,
        error?.code ?? `HTTP_${response.status}`,
        error?.message ?? (text.slice(0, 200) || response.statusText),
        parseRetryAfter(response.headers.get('retry-after')),
      );
    }
    if (json === null || typeof json !== 'object') {
      throw new ApiError(response.status, 'HTTP_NOT_JSON', `the answer is not JSON: ${text.slice(0, 200)}`);
    }
    return json as T;
  }
}
