import type { SubmissionResult } from '@introeval/contracts';
import { waitReporter } from './wait-reporter.js';

function job(status: SubmissionResult['status'], stage: SubmissionResult['stage'], notice?: string | null): SubmissionResult {
  return { id: '0123456789abcdef', status, stage, feedback: [], notice } as unknown as SubmissionResult;
}

const WAITING = 'Waiting for the rating engine, which cannot be reached right now; this step is retried automatically.';

function capture(isTTY: boolean): { isTTY: boolean; text: string; write(chunk: string): void } {
  return {
    isTTY,
    text: '',
    write(chunk: string) {
      this.text += chunk;
    },
  };
}

describe('waitReporter', () => {
  it('writes one progress line per change when not on a terminal, and connection notices on their own lines', () => {
    const output = capture(false);
    const reporter = waitReporter(output, { progress: true });
    reporter.progress!(job('queued', 'upload'), 0);
    reporter.progress!(job('queued', 'upload'), 1000);
    reporter.connectionLost!('cannot reach IntroEval at http://x: ECONNREFUSED');
    reporter.connectionBack!();
    reporter.progress!(job('processing', 'rate'), 2000);
    reporter.done();
    expect(output.text.split('\n')).toEqual([
      '01234567  queued     waiting for checking the recording (0 s)',
      'introeval: lost the connection (cannot reach IntroEval at http://x: ECONNREFUSED); retrying...',
      'introeval: connection is back',
      '01234567  processing scoring (2 s)',
      '',
    ]);
  });

  it('rewrites the progress line on a terminal and clears it before a notice and at the end', () => {
    const output = capture(true);
    const reporter = waitReporter(output, { progress: true });
    reporter.progress!(job('processing', 'transcribe'), 0);
    reporter.connectionLost!('HTTP 503');
    reporter.progress!(job('processing', 'transcribe'), 1000);
    reporter.done();
    expect(output.text).toBe(
      '\r\x1b[K01234567  processing transcribing (0 s)\r\x1b[Kintroeval: lost the connection (HTTP 503); retrying...\n' +
        '\r\x1b[K01234567  processing transcribing (1 s)\r\x1b[K',
    );
  });

  it('shows the job\'s notice on a line of its own once per change, on a terminal and off it', () => {
    const plain = capture(false);
    const reporter = waitReporter(plain, { progress: true });
    reporter.progress!(job('processing', 'rate', WAITING), 0);
    reporter.progress!(job('processing', 'rate', WAITING), 1000);
    reporter.progress!(job('processing', 'rate', null), 2000);
    reporter.progress!(job('processing', 'rate', WAITING), 3000);
    reporter.done();
    expect(plain.text.split('\n')).toEqual([
      `introeval: ${WAITING}`,
      '01234567  processing scoring (0 s)',
      `introeval: ${WAITING}`,
      '',
    ]);

    const tty = capture(true);
    const live = waitReporter(tty, { progress: true });
    live.progress!(job('processing', 'rate'), 0);
    live.progress!(job('processing', 'rate', WAITING), 1000);
    live.done();
    expect(tty.text).toBe(
      '\r\x1b[K01234567  processing scoring (0 s)' +
        `\r\x1b[Kintroeval: ${WAITING}\n` +
        '\r\x1b[K01234567  processing scoring (1 s)\r\x1b[K',
    );
  });

  it('shows only connection notices when progress is off (--json)', () => {
    const output = capture(true);
    const reporter = waitReporter(output, { progress: false });
    reporter.progress!(job('processing', 'rate'), 0);
    reporter.connectionLost!('HTTP 502');
    reporter.connectionBack!();
    reporter.done();
    expect(output.text).toBe('introeval: lost the connection (HTTP 502); retrying...\nintroeval: connection is back\n');
  });
});
