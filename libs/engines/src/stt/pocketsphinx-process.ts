import { spawn } from 'node:child_process';
import { ErrorCode, IntroEvalError, type Word } from '@introeval/contracts';
import { parseWordLine } from './pocketsphinx-output.js';

export interface RecognizeChunkInput {
  binary: string;
  extraArgs: readonly string[];
  /** Raw s16le 16 kHz mono samples, no header. The name must not end in `.wav` (see below). */
  rawPath: string;
  /** Where this chunk starts on the whole file's timeline. */
  offsetSec: number;
  signal: AbortSignal;
}

/**
 * Log lines kept for an error message: enough to show pocketsphinx's reason without holding its whole log. Its
 * ERROR/FATAL lines are kept apart because a failing start buries them under a 120-line configuration dump.
 */
const LOG_TAIL_LINES = 8;
const LOG_ERROR_LINES = 5;

export const POCKETSPHINX_INSTALL_HINT = 'apt-get install -y pocketsphinx pocketsphinx-en-us';

/**
 * Runs one `pocketsphinx_continuous` process over a raw PCM file and returns its words.
 *
 * Raw input, not WAV: pocketsphinx checks a `.wav` name's header assuming exactly 44 bytes and only logs (never
 * prints) why it refuses one; our own header reader has already validated the audio. Streaming to stdin is not an
 * option: Node's stdio pipes are socketpairs, and pocketsphinx cannot `fopen('/dev/stdin')` on a socket (ENXIO).
 * The log goes to stderr, of which only the telling lines are kept for the error message. On abort the child is
 * SIGKILLed and the promise settles only after the process has exited, so no recogniser outlives its job.
 */
export function recognizeChunk(input: RecognizeChunkInput): Promise<Word[]> {
  return new Promise<Word[]>((resolve, reject) => {
    if (input.signal.aborted) {
      reject(abortReason(input.signal));
      return;
    }
    const words: Word[] = [];
    const logTail: string[] = [];
    const logErrors: string[] = [];
    const keepLogLine = (line: string): void => {
      if (!line.trim()) return;
      logTail.push(line);
      logTail.splice(0, Math.max(0, logTail.length - LOG_TAIL_LINES));
      if (/^(ERROR|FATAL)/.test(line)) {
        logErrors.push(line);
        logErrors.splice(0, Math.max(0, logErrors.length - LOG_ERROR_LINES));
      }
    };
    let stdoutRest = '';
    let stderrRest = '';
    let failure: Error | null = null;
    let settled = false;
    const settle = (error: Error | null, result?: Word[]): void => {
      if (settled) return;
      settled = true;
      input.signal.removeEventListener('abort', onAbort);
      if (error !== null) reject(error);
      else resolve(result ?? []);
    };

    const child = spawn(input.binary, ['-infile', input.rawPath, '-time', 'yes', ...input.extraArgs], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });

    const stop = (reason: Error): void => {
      failure ??= reason;
      child.kill('SIGKILL');
    };
    const onAbort = (): void => stop(abortReason(input.signal));
    input.signal.addEventListener('abort', onAbort, { once: true });

    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (data: string) => {
      const lines = (stdoutRest + data).split('\n');
      stdoutRest = lines.pop() ?? '';
      for (const line of lines) {
        const word = parseWordLine(line, input.offsetSec);
        if (word) words.push(word);
      }
    });
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (data: string) => {
      const lines = (stderrRest + data).split('\n');
      stderrRest = lines.pop() ?? '';
      for (const line of lines) keepLogLine(line);
    });

    child.on('error', (error: NodeJS.ErrnoException) => {
      const message =
        error.code === 'ENOENT'
          ? `${input.binary} not found: install pocketsphinx with \`${POCKETSPHINX_INSTALL_HINT}\``
          : `cannot start ${input.binary}: ${error.message}`;
      stop(new IntroEvalError(ErrorCode.Internal, message, false, { cause: error }));
      // A child that never started emits no reliable 'close'; settle here instead.
      if (child.pid === undefined) settle(failure);
    });

    child.on('close', (code, signalName) => {
      if (failure !== null) {
        settle(failure);
        return;
      }
      const last = parseWordLine(stdoutRest, input.offsetSec);
      if (last) words.push(last);
      if (code === 0) {
        settle(null, words);
        return;
      }
      keepLogLine(stderrRest);
      const status = code === null ? `was killed by ${signalName}` : `exited with code ${code}`;
      const log = logErrors.length > 0 ? logErrors : logTail;
      settle(new IntroEvalError(ErrorCode.Internal, `${input.binary} ${status}; log:\n${log.join('\n')}`, false));
    });
  });
}

/** The signal's reason as an Error: by default a DOMException named AbortError; anything else is wrapped. */
export function abortReason(signal: AbortSignal): Error {
  const reason: unknown = signal.reason;
  if (reason instanceof Error) return reason;
  const error = new Error(`aborted: ${String(reason)}`, { cause: reason });
  error.name = 'AbortError';
  return error;
}

/** The installed Debian package version (e.g. `0.8+5prealpha+1-15`), or null where dpkg does not know it. */
export function detectPocketsphinxVersion(): Promise<string | null> {
  return new Promise((resolve) => {
    const child = spawn('dpkg-query', ['-W', '-f', '${Version}', 'pocketsphinx'], { stdio: ['ignore', 'pipe', 'ignore'] });
    let out = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (data: string) => (out += data));
    child.on('error', () => resolve(null));
    child.on('close', (code) => resolve(code === 0 && out.trim() ? out.trim() : null));
  });
}
