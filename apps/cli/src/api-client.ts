import { openAsBlob } from 'node:fs';
import { basename } from 'node:path';
import type { SubmissionResult } from '@introeval/contracts';

export interface Accepted {
  id: string;
  receipt: string;
}

/** An error answer from the gateway: `{ error: { code, message } }` with its HTTP status. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** The gateway could not be reached at all. */
export class ConnectionError extends Error {
  constructor(url: string, cause: unknown) {
    super(`cannot reach IntroEval at ${url}: ${(cause as Error)?.cause ? String(((cause as Error).cause as Error).message) : (cause as Error).message}`);
    this.name = 'ConnectionError';
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

  async get(id: string, auth: { receipt?: string; adminToken?: string }): Promise<SubmissionResult> {
    const headers: Record<string, string> = {};
    if (auth.receipt) headers['x-receipt'] = auth.receipt;
    if (auth.adminToken) headers.authorization = `Bearer ${auth.adminToken}`;
    return this.request<SubmissionResult>('GET', `/api/submissions/${encodeURIComponent(id)}`, undefined, headers);
  }

  private keyHeader(key: string | undefined): Record<string, string> {
    return key ? { 'idempotency-key': key } : {};
  }

  private async request<T>(method: string, path: string, body: RequestInit['body'], headers: Record<string, string>): Promise<T> {
    let response: Response;
    try {
      response = await fetch(new URL(path, this.baseUrl), { method, body, headers });
    } catch (error) {
      throw new ConnectionError(this.baseUrl, error);
    }
    const text = await response.text();
    let json: unknown = null;
    try {
      json = text ? JSON.parse(text) : null;
    } catch {
      // not JSON: reported below
    }
    if (!response.ok) {
      const error = (json as { error?: { code?: string; message?: string } } | null)?.error;
      throw new ApiError(response.status, error?.code ?? `HTTP_${response.status}`, error?.message ?? (text.slice(0, 200) || response.statusText));
    }
    return json as T;
  }
}
