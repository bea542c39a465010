import { spawnChild } from './spawn-child.js';
import { ToolExitError, ToolOutputTooLargeError, ToolTimeoutError } from './tool.errors.js';

/** How to run one tool. */
export interface RunToolOptions {
  /** The child is killed (SIGKILL) after this long: a hostile file or a wedged driver must never hang a worker. */
  timeoutMs: number;
  /** Keep at most this much stdout; more kills the child (a crafted file can make ffprobe print megabytes). */
  maxStdoutBytes?: number;
  /** Keep the last this-many bytes of stderr: enough for volumedetect's summary and for error messages. */
  maxStderrBytes?: number;
  /** Aborting kills the child and rejects with the signal's reason (the job was cancelled, not the tool's fault). */
  signal?: AbortSignal;
  /** The Debian package(s) that provide the tool, named when it is missing. */
  debianPackage?: string;
}

export interface ToolOutput {
  stdout: string;
  stderr: string;
}

const DEFAULT_MAX_STDOUT = 4 * 1024 * 1024;
const DEFAULT_MAX_STDERR = 64 * 1024;

/**
 * Runs `tool` with `args` to the end and collects its output. Resolves on exit status 0; rejects with one of the
 * ToolError subclasses otherwise, or with the abort reason.
 */
export async function runTool(tool: string, args: readonly string[], options: RunToolOptions): Promise<ToolOutput> {
  const maxStdout = options.maxStdoutBytes ?? DEFAULT_MAX_STDOUT;
  const maxStderr = options.maxStderrBytes ?? DEFAULT_MAX_STDERR;
  const child = spawnChild(tool, args, { signal: options.signal, debianPackage: options.debianPackage });
  const stdout: Buffer[] = [];
  let stdoutBytes = 0;
  let stderr = '';
  const timer = setTimeout(() => child.kill(new ToolTimeoutError(tool, args, options.timeoutMs, '')), options.timeoutMs);
  child.stdout.on('data', (chunk: Buffer) => {
    stdoutBytes += chunk.length;
    if (stdoutBytes > maxStdout) return child.kill(new ToolOutputTooLargeError(tool, args, maxStdout));
    stdout.push(chunk);
  });
  child.stderr.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString('utf8')).slice(-maxStderr);
  });
  try {
    const { code, signal } = await child.exit;
    if (code === 0) return { stdout: Buffer.concat(stdout).toString('utf8'), stderr };
    throw new ToolExitError(tool, args, code, signal, stderr);
  } catch (error) {
    // The timeout error was built before the tail of stderr arrived; give it the final text.
    if (error instanceof ToolTimeoutError) throw new ToolTimeoutError(tool, args, error.timeoutMs, stderr);
    throw error;
  } finally {
    clearTimeout(timer);
  }
}
