import { progressKey, progressLine } from './render.js';
import type { WaitEvents } from './wait-for-result.js';

/** Where the reporter writes: stderr, so that stdout carries only the result. */
export interface Output {
  isTTY?: boolean;
  write(text: string): unknown;
}

const CLEAR_LINE = '\r\x1b[K';

/**
 * Shows a wait on stderr: a progress line (rewritten in place on a terminal, one line per change otherwise) and,
 * on a line of its own, the job's notice whenever it changes (why it waits, a fallback engine), unless `progress`
 * is off; and always one line when the connection is lost and one when it is back.
 */
export function waitReporter(output: Output, { progress }: { progress: boolean }): WaitEvents & { done(): void } {
  const tty = Boolean(output.isTTY);
  let lastStep = '';
  let lastNotice: string | null = null;
  let lineOpen = false;
  const clear = (): void => {
    if (lineOpen) output.write(CLEAR_LINE);
    lineOpen = false;
  };
  return {
    progress(result, elapsedMs) {
      if (!progress) return;
      // Older gateways send no notice at all.
      const notice = result.notice ?? null;
      if (notice !== lastNotice && notice !== null) {
        clear();
        output.write(`introeval: ${notice}\n`);
      }
      lastNotice = notice;
      const line = progressLine(result, elapsedMs / 1000);
      const step = progressKey(result);
      if (tty) {
        output.write(`${CLEAR_LINE}${line}`);
        lineOpen = true;
      } else if (step !== lastStep) {
        output.write(`${line}\n`);
      }
      lastStep = step;
    },
    connectionLost(reason) {
      clear();
      output.write(`introeval: lost the connection (${reason}); retrying...\n`);
    },
    connectionBack() {
      clear();
      output.write('introeval: connection is back\n');
    },
    done: clear,
  };
}
