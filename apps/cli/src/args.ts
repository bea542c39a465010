import { parseArgs } from 'node:util';

export const DEFAULT_TIMEOUT_SEC = 1800;

export const USAGE = `usage:
  introeval submit FILE [--student ID] [--key IDEMPOTENCY_KEY] [--wait [--timeout SECONDS]] [--json] [--url URL]
  introeval submit --text-file FILE [--student ID] [--wait [--timeout SECONDS]] [--json] [--url URL]
  introeval get ID [--json] [--wait [--timeout SECONDS]] [--admin-token TOKEN] [--url URL]

  --url defaults to $INTROEVAL_URL or http://localhost:8080; --admin-token to $INTROEVAL_ADMIN_TOKEN.
  --wait polls until the evaluation ends, retrying while the gateway is unreachable or answers 502/503/504;
  --timeout gives up after SECONDS (default ${DEFAULT_TIMEOUT_SEC}): the evaluation goes on, read it later with get.
exit status: 0 completed (or accepted), 2 the evaluation failed, 1 usage or connection error, or --timeout reached`;

/** The command line is wrong: shown with the usage text, exit status 1. */
export class UsageError extends Error {}

export interface Options {
  url: string;
  json: boolean;
  wait: boolean;
  student?: string;
  key?: string;
  textFile?: string;
  adminToken?: string;
  timeoutSec: number;
}

/** Reads the command line; anything wrong with it is a UsageError. */
export function parse(argv: string[], env: NodeJS.ProcessEnv = process.env): { command: string; target?: string; options: Options } {
  const { values, positionals } = readArgs(argv);
  const [command, target, ...extra] = positionals;
  if (values.help || !command) throw new UsageError('');
  if (extra.length > 0) throw new UsageError(`unexpected argument: ${extra[0]}`);
  if (values.timeout !== undefined && !values.wait && command !== 'watch') throw new UsageError('--timeout goes with --wait or watch');
  return {
    command,
    target,
    options: {
      url: parseUrl(values.url ?? env.INTROEVAL_URL ?? 'http://localhost:8080'),
      json: values.json,
      wait: values.wait,
      student: values.student,
      key: values.key,
      textFile: values['text-file'],
      adminToken: values['admin-token'] ?? env.INTROEVAL_ADMIN_TOKEN,
      timeoutSec: values.timeout === undefined ? DEFAULT_TIMEOUT_SEC : parseTimeout(values.timeout),
    },
  };
}

function parseTimeout(value: string): number {
  const seconds = /^\d+(\.\d+)?$/.test(value.trim()) ? Number(value) : NaN;
  if (!(seconds > 0)) throw new UsageError(`--timeout needs a number of seconds above 0, not ${JSON.stringify(value)}`);
  return seconds;
}

function parseUrl(value: string): string {
  const url = URL.parse(value);
  if (url?.protocol !== 'http:' && url?.protocol !== 'https:') {
    throw new UsageError(`the gateway URL must be http:// or https://, not ${JSON.stringify(value)}`);
  }
  return value;
}

function readArgs(argv: string[]) {
  try {
    return parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        student: { type: 'string' },
        key: { type: 'string' },
        wait: { type: 'boolean', default: false },
        json: { type: 'boolean', default: false },
        url: { type: 'string' },
        'text-file': { type: 'string' },
        'admin-token': { type: 'string' },
        timeout: { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (error) {
    throw new UsageError((error as Error).message); // an unknown option, or one missing its value
  }
}
