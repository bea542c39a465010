import { spawn } from 'node:child_process';

/** How to run one media tool. */
export interface RunToolOptions {
  /** The child is killed (SIGKILL) after this long: a hostile file must never hang a worker. */
  timeoutMs: number;
  /** Keep at most this much stdout; more kills the child (a crafted file can make ffprobe print megabytes). */
  maxStdoutBytes?: number;
  /** Keep the last this-many bytes of stderr: enough for volumedetect's summary and for error messages. */
  maxStderrBytes?: number;
  /** Aborting kills the child and rejects with the signal's reason (the job was cancelled, not the file's fault). */
  signal?: AbortSignal;
}

export interface ToolOutput {
  stdout: string;
  stderr: string;
}

/** Base of every failure to run a tool; `tool` and `args` say exactly what was run. */
export class ToolError extends Error {
  constructor(
    readonly tool: string,
    readonly args: readonly string[],
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'ToolError';
  }
}

/** The tool could not be started at all (not installed, not executable): an operations problem, never the input's. */
export class ToolNotInstalledError extends ToolError {
  constructor(tool: string, args: readonly string[], cause: unknown) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    super(tool, args, `cannot run ${tool} (${reason}); install it: apt-get install -y ffmpeg`, { cause });
    this.name = 'ToolNotInstalledError';
  }
}

/** The tool ran past its time limit and was killed. */
export class ToolTimeoutError extends ToolError {
  constructor(
    tool: string,
    args: readonly string[],
    readonly timeoutMs: number,
    readonly stderr: string,
  ) {
    super(tool, args, `${tool} did not finish within ${timeoutMs} ms and was killed`);
    this.name = 'ToolTimeoutError';
  }
}

/** The tool printed more than `maxStdoutBytes` and was killed. */
export class ToolOutputTooLargeError extends ToolError {
  constructor(tool: string, args: readonly string[], readonly maxStdoutBytes: number) {
    super(tool, args, `${tool} printed more than ${maxStdoutBytes} bytes and was killed`);
    this.name = 'ToolOutputTooLargeError';
  }
}

/** The tool exited with a non-zero status (or was killed by a signal we did not send). */
export class ToolExitError extends ToolError {
  constructor(
    tool: string,
    args: readonly string[],
    readonly exitCode: number | null,
    readonly signal: NodeJS.Signals | null,
    readonly stderr: string,
  ) {
    const status = exitCode === null ? `signal ${signal ?? 'unknown'}` : `status ${exitCode}`;
    super(tool, args, `${tool} exited with ${status}: ${lastLines(stderr) || '(no error output)'}`);
    this.name = 'ToolExitError';
  }
}

const DEFAULT_MAX_STDOUT = 4 * 1024 * 1024;
const DEFAULT_MAX_STDERR = 64 * 1024;

/**
 * Runs `tool` with `args` directly (no shell, so file names are never interpreted) and collects its output.
 * Resolves on exit status 0; rejects with one of the ToolError subclasses otherwise.
 */
export function runTool(tool: string, args: readonly string[], options: RunToolOptions): Promise<ToolOutput> {
  const maxStdout = options.maxStdoutBytes ?? DEFAULT_MAX_STDOUT;
  const maxStderr = options.maxStderrBytes ?? DEFAULT_MAX_STDERR;
  return new Promise<ToolOutput>((resolve, reject) => {
    const { signal } = options;
    const abortReason = (): Error =>
      signal?.reason instanceof Error ? signal.reason : new Error(`aborted: ${String(signal?.reason)}`);
    if (signal?.aborted) {
      reject(abortReason());
      return;
    }
    const child = spawn(tool, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let aborted = false;
    const onAbort = () => {
      aborted = true;
      child.kill('SIGKILL');
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    const stdout: Buffer[] = [];
    let stdoutBytes = 0;
    let stderr = '';
    // Set when we kill the child ourselves, so the exit handler reports why instead of "killed by SIGKILL".
    let killedFor: ToolError | null = null;

    const kill = (reason: ToolError): void => {
      if (killedFor) return;
      killedFor = reason;
      child.kill('SIGKILL');
    };
    const timer = setTimeout(() => kill(new ToolTimeoutError(tool, args, options.timeoutMs, stderr)), options.timeoutMs);

    child.stdout.on('data', (chunk: Buffer) => {
      stdoutBytes += chunk.length;
      if (stdoutBytes > maxStdout) return kill(new ToolOutputTooLargeError(tool, args, maxStdout));
      stdout.push(chunk);
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString('utf8')).slice(-maxStderr);
    });
    child.once('error', (error) => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      // 'error' without a pid means the process never started (ENOENT, EACCES).
      reject(child.pid === undefined ? new ToolNotInstalledError(tool, args, error) : new ToolError(tool, args, error.message, { cause: error }));
    });
    child.once('close', (code, exitSignal) => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      if (child.pid === undefined) return; // already rejected by 'error'
      if (aborted) return reject(abortReason());
      if (killedFor) {
        // The timeout error was built before the tail of stderr arrived; give it the final text.
        if (killedFor instanceof ToolTimeoutError) {
          return reject(new ToolTimeoutError(tool, args, killedFor.timeoutMs, stderr));
        }
        return reject(killedFor);
      }
      if (code === 0) return resolve({ stdout: Buffer.concat(stdout).toString('utf8'), stderr });
      reject(new ToolExitError(tool, args, code, exitSignal, stderr));
    });
  });
}

/** The last few non-empty lines of a tool's stderr: where ffmpeg says what finally went wrong. */
export function lastLines(text: string, count = 3): string {
  return text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line.length > 0)
    .slice(-count)
    .join(' | ');
}
