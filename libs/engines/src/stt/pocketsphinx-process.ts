import { ErrorCode, IntroEvalError, type Word } from '@introeval/contracts';
import { installHint, runTool, spawnChild, ToolError, type ChildExit } from '@introeval/process';
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

/** The Debian packages of the recogniser and its US English model. */
const POCKETSPHINX_PACKAGES = 'pocketsphinx pocketsphinx-en-us';
export const POCKETSPHINX_INSTALL_HINT = installHint(POCKETSPHINX_PACKAGES);

/**
 * Runs one `pocketsphinx_continuous` process over a raw PCM file and returns its words.
 *
 * Raw input, not WAV: pocketsphinx checks a `.wav` name's header assuming exactly 44 bytes and only logs (never
 * prints) why it refuses one; our own header reader has already validated the audio. Streaming to stdin is not an
 * option: Node's stdio pipes are socketpairs, and pocketsphinx cannot `fopen('/dev/stdin')` on a socket (ENXIO).
 * The log goes to stderr, of which only the telling lines are kept for the error message. On abort the child (and
 * anything it started) is SIGKILLed and the promise settles only after it has exited, so no recogniser outlives
 * its job.
 */
export async function recognizeChunk(input: RecognizeChunkInput): Promise<Word[]> {
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

  // Throws the abort reason, starting nothing, when the job is already cancelled.
  const child = spawnChild(input.binary, ['-infile', input.rawPath, '-time', 'yes', ...input.extraArgs], {
    signal: input.signal,
    debianPackage: POCKETSPHINX_PACKAGES,
  });

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

  let exit: ChildExit;
  try {
    exit = await child.exit;
  } catch (error) {
    // The abort reason passes as it is; a recogniser that cannot start is this machine's problem: INTERNAL,
    // transient, naming the packages to install.
    if (error instanceof ToolError) throw new IntroEvalError(ErrorCode.Internal, error.message, false, { cause: error });
    throw error;
  }
  const last = parseWordLine(stdoutRest, input.offsetSec);
  if (last) words.push(last);
  if (exit.code === 0) return words;
  keepLogLine(stderrRest);
  const status = exit.code === null ? `was killed by ${exit.signal}` : `exited with code ${exit.code}`;
  const log = logErrors.length > 0 ? logErrors : logTail;
  throw new IntroEvalError(ErrorCode.Internal, `${input.binary} ${status}; log:\n${log.join('\n')}`, false);
}

/** The installed Debian package version (e.g. `0.8+5prealpha+1-15`), or null where dpkg does not know it. */
export async function detectPocketsphinxVersion(): Promise<string | null> {
  try {
    const { stdout } = await runTool('dpkg-query', ['-W', '-f', '${Version}', 'pocketsphinx'], { timeoutMs: 10_000 });
    return stdout.trim() || null;
  } catch {
    return null;
  }
}
