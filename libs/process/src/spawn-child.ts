import { spawn, type ChildProcess } from 'node:child_process';
import type { Readable } from 'node:stream';
import { abortReason } from './abort-reason.js';
import { ToolError, ToolNotInstalledError } from './tool.errors.js';

export interface SpawnChildOptions {
  /** Aborting kills the child and its children; `exit` then rejects with the signal's reason. */
  signal?: AbortSignal;
  /** The Debian package(s) that provide the command, named when it cannot be started (`pocketsphinx pocketsphinx-en-us`). */
  debianPackage?: string;
}

/** How a child ended on its own: its exit status, or the signal that killed it when we did not. */
export interface ChildExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** A started child: its output streams, a promise of its end and a way to stop it for a reason. */
export interface SpawnedChild {
  readonly stdout: Readable;
  readonly stderr: Readable;
  /**
   * Settles once the child has exited and its output has been read. Resolves with how it exited; rejects with
   * ToolNotInstalledError when it never started, with the abort reason when the signal fired, or with the reason
   * given to `kill` (the first one wins).
   */
  readonly exit: Promise<ChildExit>;
  /** SIGKILLs the child and everything it started; `exit` rejects with `reason` unless it has already settled. */
  kill(reason: Error): void;
}

/**
 * Children that are still running. Each runs in a process group of its own (see `spawnChild`), which the
 * terminal's Ctrl-C and a supervisor's group kill no longer reach, so they are killed here when this process exits.
 */
const running = new Set<ChildProcess>();

function killTree(child: ChildProcess): void {
  if (child.pid === undefined) return;
  try {
    // A negative pid is the whole group: the tool and whatever it forked (a shell's pipeline, a helper process).
    process.kill(-child.pid, 'SIGKILL');
  } catch {
    // The group is gone already, or was never formed: kill the child alone, which is harmless when it has exited.
    child.kill('SIGKILL');
  }
}

function killRunning(): void {
  for (const child of running) killTree(child);
}

function track(child: ChildProcess): void {
  // The exit hook is held only while there is something to kill, so idle processes (and test files) keep none.
  if (running.size === 0) process.on('exit', killRunning);
  running.add(child);
}

function untrack(child: ChildProcess): void {
  if (running.delete(child) && running.size === 0) process.off('exit', killRunning);
}

/**
 * Starts `command` with `args` directly (no shell, so arguments are never interpreted), stdin closed, stdout and
 * stderr piped. Throws the abort reason, starting nothing, when `signal` has already fired.
 */
export function spawnChild(command: string, args: readonly string[], options: SpawnChildOptions = {}): SpawnedChild {
  const { signal } = options;
  if (signal?.aborted) throw abortReason(signal);
  // detached: the child leads a new process group, so one kill reaches the children it starts in turn.
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let failure: Error | null = null;
  let settled = false;

  const kill = (reason: Error): void => {
    if (settled || failure !== null) return;
    failure = reason;
    killTree(child);
  };
  const onAbort = (): void => kill(abortReason(signal!));

  const exit = new Promise<ChildExit>((resolve, reject) => {
    const settle = (error: Error | null, result?: ChildExit): void => {
      if (settled) return;
      settled = true;
      untrack(child);
      signal?.removeEventListener('abort', onAbort);
      if (error !== null) reject(error);
      else resolve(result!);
    };
    child.once('error', (error) => {
      // 'error' without a pid means the process never started (ENOENT, EACCES), and no reliable 'close' follows.
      if (child.pid === undefined) settle(new ToolNotInstalledError(command, args, error, options.debianPackage));
      else kill(new ToolError(command, args, error.message, { cause: error }));
    });
    // 'close', not 'exit': by then stdout and stderr have been read to the end.
    child.once('close', (code, exitSignal) => settle(failure, { code, signal: exitSignal }));
  });

  if (child.pid !== undefined) track(child);
  signal?.addEventListener('abort', onAbort, { once: true });
  return { stdout: child.stdout, stderr: child.stderr, exit, kill };
}
