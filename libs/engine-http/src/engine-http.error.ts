/** Longest part of a server's message kept in an error: enough for Ollama's and speaches' one-line errors. */
const MAX_MESSAGE = 300;

/** An engine answered with a status that is not an answer (outside 2xx and the call's `okStatuses`). */
export class EngineHttpError extends Error {
  /** `answered 404: model "x" not found`: the status and the server's own message, without naming the call. */
  readonly detail: string;

  constructor(
    /** Names the call, e.g. `ollama POST /api/chat` or `DELETE http://gpu-0:8000/api/ps/x`. */
    readonly what: string,
    readonly status: number,
    /** The whole body of the answer. */
    readonly body: string,
    /** The server's Retry-After, in ms, when it sent one. */
    readonly retryAfterMs?: number,
  ) {
    const detail = `answered ${status}${serverMessage(body)}`;
    super(`${what}: ${detail}`);
    this.name = 'EngineHttpError';
    this.detail = detail;
  }
}

/** The error text a server put in its body (Ollama `{ error }`, FastAPI `{ detail }`), kept short. */
function serverMessage(body: string): string {
  let text = body.trim();
  try {
    const parsed = JSON.parse(text) as { error?: unknown; detail?: unknown } | null;
    const message = parsed?.error ?? parsed?.detail;
    if (message !== undefined) text = typeof message === 'string' ? message : JSON.stringify(message);
  } catch {
    // Not JSON: the plain body is the message.
  }
  if (text.length === 0) return '';
  return `: ${text.length > MAX_MESSAGE ? `${text.slice(0, MAX_MESSAGE)}...` : text}`;
}
