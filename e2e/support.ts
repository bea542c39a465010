import { spawn } from 'node:child_process';
import { openAsBlob } from 'node:fs';
import { basename, join } from 'node:path';
import type { SubmissionResult } from '@introeval/contracts';
import { eventually, REPO_ROOT } from '@introeval/testing';

export interface Accepted {
  id: string;
  receipt: string;
}

/** What POST /api/submissions answers: `{ id, receipt }`, or `{ error }`. */
export interface SubmitAnswer {
  status: number;
  body: Accepted & { error: { code: string; message: string } };
}

/** POSTs a file as multipart `file` the way a browser does; returns status and parsed body. */
export async function postFile(
  url: string,
  path: string,
  headers: Record<string, string> = {},
): Promise<SubmitAnswer> {
  const form = new FormData();
  form.append('file', await openAsBlob(path), basename(path));
  const response = await fetch(`${url}/api/submissions`, { method: 'POST', body: form, headers });
  return { status: response.status, body: (await response.json()) as SubmitAnswer['body'] };
}

export async function postText(url: string, text: string): Promise<SubmitAnswer> {
  const response = await fetch(`${url}/api/submissions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ text }),
  });
  return { status: response.status, body: (await response.json()) as SubmitAnswer['body'] };
}

export async function getResult(url: string, accepted: Accepted): Promise<SubmissionResult> {
  const response = await fetch(`${url}/api/submissions/${accepted.id}`, { headers: { 'x-receipt': accepted.receipt } });
  if (!response.ok) throw new Error(`GET ${accepted.id}: ${response.status} ${await response.text()}`);
  return (await response.json()) as SubmissionResult;
}

/** Polls the job until it is completed or failed. */
export async function waitForEnd(url: string, accepted: Accepted, timeoutMs = 120_000): Promise<SubmissionResult> {
  return eventually(
    async () => {
      const result = await getResult(url, accepted);
      return result.status === 'completed' || result.status === 'failed' ? result : undefined;
    },
    { timeoutMs, intervalMs: 200, what: `job ${accepted.id} to end` },
  );
}

/** Runs the real CLI (`apps/cli/bin/introeval.js`) and collects its output and exit code. */
export function runCli(
  args: string[],
  env: Record<string, string>,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const environment: NodeJS.ProcessEnv = { ...process.env, ...env };
    delete environment.NODE_OPTIONS;
    const child = spawn(process.execPath, [join(REPO_ROOT, 'apps', 'cli', 'bin', 'introeval.js'), ...args], {
      env: environment,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

/** Word error rate-like check: the share of the phrases that occur in the transcript. */
export function phrasesFound(text: string, phrases: string[]): string[] {
  const normalised = text.toLowerCase();
  return phrases.filter((phrase) => normalised.includes(phrase.toLowerCase()));
}
