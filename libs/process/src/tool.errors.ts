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

/**
 * The tool could not be started at all (not installed, not executable): an operations problem, never the input's.
 * The message names the Debian package that provides the tool, so the fix is one copy-paste away.
 */
export class ToolNotInstalledError extends ToolError {
  constructor(
    tool: string,
    args: readonly string[],
    cause: unknown,
    /** The Debian package(s) that provide `tool`, e.g. `ffmpeg`; unknown when undefined. */
    readonly debianPackage?: string,
  ) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    const fix = debianPackage ? `install it: ${installHint(debianPackage)}` : 'is it installed and on PATH?';
    super(tool, args, `cannot run ${tool} (${reason}); ${fix}`, { cause });
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

/** The command that installs `debianPackage` (one or more package names, space-separated). */
export function installHint(debianPackage: string): string {
  return `apt-get install -y ${debianPackage}`;
}

/** The last few non-empty lines of a tool's stderr: where ffmpeg and friends say what finally went wrong. */
export function lastLines(text: string, count = 3): string {
  return text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line.length > 0)
    .slice(-count)
    .join(' | ');
}
