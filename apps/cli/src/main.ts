import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import type { SubmissionResult } from '@introeval/contracts';
import { ApiClient, ApiError, ConnectionError, type Accepted } from './api-client.js';
import { defaultReceiptBookPath, ReceiptBook } from './receipt-book.js';
import { progressLine, summary } from './render.js';

const USAGE = `usage:
  introeval submit FILE [--student ID] [--key IDEMPOTENCY_KEY] [--wait] [--json] [--url URL]
  introeval submit --text-file FILE [--student ID] [--wait] [--json] [--url URL]
  introeval get ID [--json] [--wait] [--admin-token TOKEN] [--url URL]

  --url defaults to $INTROEVAL_URL or http://localhost:8080; --admin-token to $INTROEVAL_ADMIN_TOKEN.
exit status: 0 completed (or accepted), 2 the evaluation failed, 1 usage or connection error`;

/** Exit statuses the CLI promises. */
const EXIT = { ok: 0, usage: 1, failed: 2 } as const;

/** Error codes that mean "this submission failed", not "the command was wrong". */
const SUBMISSION_FAILURES = /^(MEDIA_|TRANSCRIPT_)/;

class UsageError extends Error {}

interface Options {
  url: string;
  json: boolean;
  wait: boolean;
  student?: string;
  key?: string;
  textFile?: string;
  adminToken?: string;
}

function parse(argv: string[]): { command: string; target?: string; options: Options } {
  const { values, positionals } = parseArgs({
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
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  const [command, target, ...extra] = positionals;
  if (values.help || !command) throw new UsageError('');
  if (extra.length > 0) throw new UsageError(`unexpected argument: ${extra[0]}`);
  return {
    command,
    target,
    options: {
      url: values.url ?? process.env.INTROEVAL_URL ?? 'http://localhost:8080',
      json: values.json,
      wait: values.wait,
      student: values.student,
      key: values.key,
      textFile: values['text-file'],
      adminToken: values['admin-token'] ?? process.env.INTROEVAL_ADMIN_TOKEN,
    },
  };
}

async function submit(client: ApiClient, book: ReceiptBook, file: string | undefined, options: Options): Promise<number> {
  if (Boolean(file) === Boolean(options.textFile)) throw new UsageError('submit needs exactly one of FILE or --text-file FILE');
  const meta = { studentId: options.student, idempotencyKey: options.key };
  let accepted: Accepted;
  if (options.textFile) {
    const text = await readFile(options.textFile, 'utf8').catch((error: Error) => {
      throw new UsageError(`cannot read ${options.textFile}: ${error.message}`);
    });
    accepted = await client.submitText(text, meta);
  } else {
    accepted = await client.submitFile(file!, meta).catch((error: unknown) => {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new UsageError(`no such file: ${file}`);
      throw error;
    });
  }
  await book.remember(accepted.id, accepted.receipt);
  if (!options.wait) {
    console.log(options.json ? JSON.stringify(accepted) : `submitted ${accepted.id}\nreceipt ${accepted.receipt}\nsee it with: introeval get ${accepted.id}`);
    return EXIT.ok;
  }
  return show(await waitFor(client, accepted.id, { receipt: accepted.receipt }, options.json), options.json);
}

async function get(client: ApiClient, book: ReceiptBook, id: string | undefined, options: Options): Promise<number> {
  if (!id) throw new UsageError('get needs a submission ID');
  const auth = { receipt: await book.get(id), adminToken: options.adminToken };
  if (!auth.receipt && !auth.adminToken) {
    throw new UsageError(`no receipt remembered for ${id}: pass --admin-token or set INTROEVAL_ADMIN_TOKEN`);
  }
  const result = options.wait ? await waitFor(client, id, auth, options.json) : await client.get(id, auth);
  return show(result, options.json);
}

async function waitFor(
  client: ApiClient,
  id: string,
  auth: { receipt?: string; adminToken?: string },
  quiet: boolean,
): Promise<SubmissionResult> {
  const started = Date.now();
  const tty = process.stderr.isTTY;
  let last = '';
  for (;;) {
    const result = await client.get(id, auth);
    if (result.status === 'completed' || result.status === 'failed') {
      if (!quiet && tty) process.stderr.write('\r\x1b[K');
      return result;
    }
    if (!quiet) {
      const line = progressLine(result, (Date.now() - started) / 1000);
      if (tty) process.stderr.write(`\r\x1b[K${line}`);
      else if (line.split('(')[0] !== last) process.stderr.write(`${line}\n`);
      last = line.split('(')[0]!;
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

function show(result: SubmissionResult, json: boolean): number {
  console.log(json ? JSON.stringify(result, null, 2) : summary(result));
  return result.status === 'failed' ? EXIT.failed : EXIT.ok;
}

async function main(argv: string[]): Promise<number> {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(argv);
  } catch (error) {
    const message = (error as Error).message;
    console.error(message ? `introeval: ${message}\n${USAGE}` : USAGE);
    return EXIT.usage;
  }
  const { command, target, options } = parsed;
  const client = new ApiClient(options.url);
  const book = new ReceiptBook(defaultReceiptBookPath(process.env));
  try {
    if (command === 'submit') return await submit(client, book, target, options);
    if (command === 'get') return await get(client, book, target, options);
    throw new UsageError(`unknown command: ${command}`);
  } catch (error) {
    if (error instanceof UsageError) {
      console.error(`introeval: ${error.message}\n${USAGE}`);
      return EXIT.usage;
    }
    if (error instanceof ApiError && SUBMISSION_FAILURES.test(error.code)) {
      const failure = { id: null, status: 'failed', error: { code: error.code, message: error.message } };
      console.log(options.json ? JSON.stringify(failure, null, 2) : `Submission failed ${error.code}: ${error.message}`);
      return EXIT.failed;
    }
    if (error instanceof ApiError || error instanceof ConnectionError) {
      console.error(`introeval: ${error.message}${error instanceof ApiError ? ` (${error.code})` : ''}`);
      return EXIT.usage;
    }
    throw error;
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`introeval: ${(error as Error).stack ?? String(error)}`);
    process.exit(EXIT.usage);
  },
);
