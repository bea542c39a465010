import { readFile } from 'node:fs/promises';
import { STAGES, type SubmissionResult } from '@introeval/contracts';
import { parse, USAGE, UsageError, type Options } from './args.js';
import { ApiClient, ApiError, ConnectionError, type Accepted, type Credentials } from './api-client.js';
import { defaultReceiptBookDir, isSubmissionId, ReceiptBook, ReceiptBookError } from './receipt-book.js';
import { queueJobs, statusTables, summary } from './render.js';
import { waitForResult, WaitTimeoutError } from './wait-for-result.js';
import { waitReporter } from './wait-reporter.js';
import { watchJob } from './watch-job.js';

/** Exit statuses the CLI promises. */
const EXIT = { ok: 0, usage: 1, failed: 2 } as const;

/** Error codes that mean "this submission failed", not "the command was wrong". */
const SUBMISSION_FAILURES = /^(MEDIA_|TRANSCRIPT_)/;

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
  await book.remember(accepted.id, accepted.receipt).catch((error: Error) => {
    // The submission is in; the receipt is the only way to read it: never lose it silently.
    console.error(`introeval: ${error.message}; keep it yourself: id ${accepted.id} receipt ${accepted.receipt}`);
  });
  if (!options.wait) {
    console.log(options.json ? JSON.stringify(accepted) : `submitted ${accepted.id}\nreceipt ${accepted.receipt}\nsee it with: introeval get ${accepted.id}`);
    return EXIT.ok;
  }
  if (!options.json) console.error(`submitted ${accepted.id}; waiting (read it later with: introeval get ${accepted.id})`);
  return show(await waitFor(client, accepted.id, { receipt: accepted.receipt }, options), options.json);
}

/** The credentials that open submission `id`: its remembered receipt, or the admin token. */
async function jobAuth(command: string, book: ReceiptBook, id: string | undefined, options: Options): Promise<{ id: string; auth: Credentials }> {
  if (!id) throw new UsageError(`${command} needs a submission ID`);
  if (!isSubmissionId(id)) throw new UsageError(`not a submission ID (a UUID): ${id}`);
  const auth = { receipt: await book.get(id), adminToken: options.adminToken };
  if (!auth.receipt && !auth.adminToken) {
    throw new UsageError(`no receipt remembered for ${id}: pass --admin-token or set INTROEVAL_ADMIN_TOKEN`);
  }
  return { id, auth };
}

async function get(client: ApiClient, book: ReceiptBook, target: string | undefined, options: Options): Promise<number> {
  const { id, auth } = await jobAuth('get', book, target, options);
  const result = options.wait ? await waitFor(client, id, auth, options) : await client.get(id, auth);
  return show(result, options.json);
}

/** A live line (stage, position, what it waits for, ETA) until the job ends; with --json one JSON line per change. */
async function watch(client: ApiClient, book: ReceiptBook, target: string | undefined, options: Options): Promise<number> {
  const { id, auth } = await jobAuth('watch', book, target, options);
  const reporter = waitReporter(process.stderr, { progress: !options.json });
  try {
    const final = await watchJob(client, id, auth, {
      timeoutMs: options.timeoutSec * 1000,
      events: reporter,
      onStatus: options.json ? (status) => console.log(JSON.stringify(status)) : undefined,
    });
    reporter.done();
    if (!options.json) console.log(summary(final));
    return final.status === 'failed' ? EXIT.failed : EXIT.ok;
  } finally {
    reporter.done();
  }
}

function adminToken(command: string, options: Options): string {
  if (!options.adminToken) throw new UsageError(`${command} is for admins: pass --admin-token or set INTROEVAL_ADMIN_TOKEN`);
  return options.adminToken;
}

async function status(client: ApiClient, options: Options): Promise<number> {
  const token = adminToken('status', options);
  const [nodes, queues] = await Promise.all([client.nodes(token), client.queues(token)]);
  console.log(options.json ? JSON.stringify({ nodes: nodes.nodes, queues: queues.queues, observedAt: queues.observedAt }, null, 2) : statusTables(nodes, queues));
  return EXIT.ok;
}

async function queue(client: ApiClient, stage: string | undefined, options: Options): Promise<number> {
  if (stage !== undefined && !(STAGES as readonly string[]).includes(stage)) {
    throw new UsageError(`unknown stage ${JSON.stringify(stage)}: one of ${STAGES.join(', ')}`);
  }
  const listing = await client.queues(adminToken('queue', options));
  const queues = { ...listing, queues: listing.queues.filter((q) => stage === undefined || q.stage === stage) };
  console.log(options.json ? JSON.stringify(queues, null, 2) : queueJobs(queues));
  return EXIT.ok;
}

async function waitFor(client: ApiClient, id: string, auth: Credentials, options: Options): Promise<SubmissionResult> {
  // Progress only for people; connection notices always (stderr: stdout carries only the result).
  const reporter = waitReporter(process.stderr, { progress: !options.json });
  try {
    return await waitForResult(client, id, auth, { timeoutMs: options.timeoutSec * 1000, events: reporter });
  } finally {
    reporter.done();
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
  const book = new ReceiptBook(defaultReceiptBookDir(process.env));
  try {
    if (command === 'submit') return await submit(client, book, target, options);
    if (command === 'get') return await get(client, book, target, options);
    if (command === 'watch') return await watch(client, book, target, options);
    if (command === 'status') {
      if (target !== undefined) throw new UsageError(`status takes no argument, not ${target}`);
      return await status(client, options);
    }
    if (command === 'queue') return await queue(client, target, options);
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
    if (error instanceof WaitTimeoutError || error instanceof ReceiptBookError) {
      console.error(`introeval: ${error.message}`);
      return EXIT.usage;
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
