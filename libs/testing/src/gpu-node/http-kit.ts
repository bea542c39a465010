import { createServer, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import busboy from 'busboy';
import type { RecordedMultipart } from './gpu-node.types.js';
import type { NodeState } from './node-state.js';

/** Far above any test upload; a runaway client should not eat the test machine's memory. */
const MAX_BODY_BYTES = 200 * 1024 * 1024;

export interface Multipart extends RecordedMultipart {
  /** The uploaded file's bytes (the request log keeps only its size). */
  fileBytes: Buffer | null;
}

/** One request as the routes see it: body read and parsed, fault decided, disconnects turned into a signal. */
export interface ApiRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  /** The JSON body; undefined when there is none or it does not parse (see jsonError). */
  json: unknown;
  jsonError: string | null;
  multipart: Multipart | null;
  /** `X-Lease-Epoch`, when sent and numeric. */
  epoch: number | null;
  /** An `invalid-json` fault hit this request: answer 200 with content that does not parse. */
  corrupt: boolean;
  /** Aborts when the client goes away before the answer is complete. */
  signal: AbortSignal;
}

export type Route = (req: ApiRequest, res: ServerResponse) => Promise<void>;

export interface ApiFace {
  api: 'ollama' | 'speaches';
  route: Route;
  /** How this server shapes an error body: Ollama `{ error }`, speaches (FastAPI) `{ detail }`. */
  errorBody(message: string): object;
}

/** Writes a JSON answer; `corrupt` cuts the text in half, so it no longer parses (a truncated generation). */
export function sendJson(res: ServerResponse, status: number, body: unknown, corrupt = false): void {
  if (res.writableEnded || res.destroyed) return;
  const text = JSON.stringify(body);
  sendText(res, status, corrupt ? truncate(text) : text, 'application/json; charset=utf-8');
}

export function sendText(res: ServerResponse, status: number, text: string, contentType = 'text/plain; charset=utf-8'): void {
  if (res.writableEnded || res.destroyed) return;
  res.writeHead(status, { 'content-type': contentType, 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

/** The first half of a JSON text: never valid JSON (an object or array loses its closing bracket). */
export function truncate(text: string): string {
  return text.slice(0, Math.max(1, Math.floor(text.length / 2)));
}

/** An HTTP server for one API face: records every request, applies injected faults, then routes. */
export function apiServer(state: NodeState, face: ApiFace): Server {
  const server = createServer((req, res) => {
    handle(state, face, req, res).catch((error: unknown) => {
      if (res.headersSent) {
        res.destroy();
        return;
      }
      sendJson(res, 500, face.errorBody(error instanceof Error ? error.message : String(error)));
    });
  });
  // Long simulated waits at time scale 1 are real waits: never let Node's request timeouts cut them short.
  server.requestTimeout = 0;
  server.headersTimeout = 0;
  return server;
}

async function handle(state: NodeState, face: ApiFace, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const gone = new AbortController();
  res.on('close', () => {
    if (!res.writableFinished) gone.abort(new Error('client went away'));
  });
  const raw = await readBody(req).catch(() => null);
  if (raw === null) return; // the client left (or sent too much) while uploading
  state.clock.advance();
  const url = new URL(req.url ?? '/', 'http://stand-in');
  const path = decodeURIComponent(url.pathname);
  const contentType = req.headers['content-type'] ?? '';
  let json: unknown;
  let jsonError: string | null = null;
  let multipart: Multipart | null = null;
  let recorded: unknown = null;
  if (contentType.startsWith('multipart/form-data')) {
    multipart = await parseMultipart(req.headers, raw);
    recorded = { fields: multipart.fields, file: multipart.file } satisfies RecordedMultipart;
  } else if (raw.length > 0) {
    const text = raw.toString('utf8');
    try {
      json = JSON.parse(text);
      recorded = json;
    } catch (error) {
      jsonError = error instanceof Error ? error.message : String(error);
      recorded = text;
    }
  }
  state.requestLog.push({
    api: face.api,
    method: req.method ?? 'GET',
    path,
    headers: { ...req.headers },
    body: recorded,
    at: state.clock.now(),
  });

  const fault = state.faults.take(face.api, path);
  if (fault?.kind === 'status') {
    sendJson(res, fault.status, fault.body ?? face.errorBody('injected fault'));
    return;
  }
  if (fault?.kind === 'reset') {
    req.socket.destroy();
    return;
  }
  if (fault?.kind === 'hang') {
    if (gone.signal.aborted) return;
    await new Promise<void>((resolve) => gone.signal.addEventListener('abort', () => resolve(), { once: true }));
    return;
  }
  const epochHeader = req.headers['x-lease-epoch'];
  const epochValue = Array.isArray(epochHeader) ? epochHeader[0] : epochHeader;
  const epoch = epochValue !== undefined && epochValue.trim() !== '' && Number.isFinite(Number(epochValue)) ? Number(epochValue) : null;
  await face.route(
    {
      method: req.method ?? 'GET',
      path,
      headers: req.headers,
      json,
      jsonError,
      multipart,
      epoch,
      corrupt: fault?.kind === 'invalid-json',
      signal: gone.signal,
    },
    res,
  );
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        req.destroy();
        reject(new Error('request body too large'));
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
    req.on('aborted', () => reject(new Error('client aborted')));
  });
}

function parseMultipart(headers: IncomingHttpHeaders, raw: Buffer): Promise<Multipart> {
  return new Promise((resolve) => {
    const fields: Record<string, string | string[]> = {};
    let file: Multipart['file'] = null;
    let fileBytes: Buffer | null = null;
    const done = () => resolve({ fields, file, fileBytes });
    let parser: busboy.Busboy;
    try {
      parser = busboy({ headers });
    } catch {
      done(); // malformed content type: no fields, no file (the route answers 422 as FastAPI would)
      return;
    }
    parser.on('field', (name, value) => {
      const existing = fields[name];
      fields[name] = existing === undefined ? value : [...(Array.isArray(existing) ? existing : [existing]), value];
    });
    parser.on('file', (name, stream, info) => {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        if (file) return; // speaches reads one file; extra parts are ignored
        fileBytes = Buffer.concat(chunks);
        file = { field: name, filename: info.filename ?? '', mimeType: info.mimeType, size: fileBytes.length };
      });
    });
    parser.on('close', done);
    parser.on('error', done);
    parser.end(raw);
  });
}

/** One field's value (the first, when repeated). */
export function field(multipart: Multipart, name: string): string | undefined {
  const value = multipart.fields[name];
  return Array.isArray(value) ? value[0] : value;
}

/** Every value of a repeated field. */
export function fieldList(multipart: Multipart, name: string): string[] {
  const value = multipart.fields[name];
  return value === undefined ? [] : Array.isArray(value) ? value : [value];
}
