import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { INTRO_SCRIPTS, mp4FromWav, recorderWebm, speechWav, type SystemHandle } from '@introeval/testing';
import { useSystem } from './environment.js';
import type { SubmissionResult } from '@introeval/contracts';
import { getResult, phrasesFound, postFile, postText, runCli, waitForEnd, type Accepted } from './support.js';

const ADMIN_TOKEN = 'e2e-admin-token-0123456789';
const script = INTRO_SCRIPTS[0];

function expectEvaluated(result: SubmissionResult): void {
  expect(result.error).toBeNull();
  expect(result.status).toBe('completed');
  expect(result.profile).not.toBeNull();
  expect(result.scores!.total).toBeGreaterThanOrEqual(0);
  expect(result.scores!.total).toBeLessThanOrEqual(100);
  for (const criterion of ['content', 'structure', 'clarity', 'professionalism', 'delivery'] as const) {
    expect(result.scores![criterion]).toBeGreaterThanOrEqual(1);
    expect(result.scores![criterion]).toBeLessThanOrEqual(5);
  }
  expect(result.feedback.length).toBeGreaterThan(0);
  expect(result.metrics).not.toBeNull();
  expect(result.provenance.extract?.engine).toBe('rules');
  expect(result.provenance.rate?.engine).toBe('rules');
  expect(result.timings.completedAt).not.toBeNull();
}

function expectHeard(result: SubmissionResult): void {
  const found = phrasesFound(result.transcript!.text, script.keyPhrases);
  // pocketsphinx misses some words (WER ~25% on flite speech): most, not all, key phrases must be heard.
  expect(found.length).toBeGreaterThanOrEqual(Math.ceil(script.keyPhrases.length / 2));
  expect(result.transcript!.words.length).toBeGreaterThan(50);
  expect(result.provenance.stt?.engine).toBe('pocketsphinx');
  expect(Object.keys(result.timings.perStageMs).sort()).toEqual(['extract', 'rate', 'transcribe', 'upload']);
}

describe('the pipeline, end to end on the embedded engines', () => {
  const env = useSystem({ ADMIN_TOKEN });
  let system: SystemHandle;
  let dir: string;
  let wav: string;

  beforeAll(async () => {
    ({ system, dir } = env);
    wav = await speechWav(script, 'slt', dir);
  });

  it('evaluates an MP4 submitted with the CLI (--wait --json) and reads it back with `get`', async () => {
    const mp4 = await mp4FromWav(wav, dir);
    const env = { XDG_CONFIG_HOME: dir, INTROEVAL_URL: system.url };
    const submitted = await runCli(['submit', mp4, '--student', 'stu-001', '--wait', '--json'], env);
    expect(submitted.stderr).toBe('');
    expect(submitted.code).toBe(0);
    const result = JSON.parse(submitted.stdout) as SubmissionResult;
    expectEvaluated(result);
    expectHeard(result);
    expect(result.transcript!.durationSec).toBeGreaterThan(40);

    const again = await runCli(['get', result.id, '--json'], env);
    expect(again.code).toBe(0);
    expect((JSON.parse(again.stdout) as SubmissionResult).scores).toEqual(result.scores);

    const readable = await runCli(['get', result.id], env);
    expect(readable.stdout).toContain('Score ');
    expect(readable.stdout).toContain('Feedback:');
  });

  it('evaluates a MediaRecorder-style WebM whose header has no duration', async () => {
    const webm = await recorderWebm(wav, dir);
    const { status, body } = await postFile(system.url, webm);
    expect(status).toBe(202);
    const result = await waitForEnd(system.url, body);
    expectEvaluated(result);
    expectHeard(result);
  });

  it('evaluates a text submission without upload or transcription', async () => {
    const { status, body } = await postText(system.url, script.text);
    expect(status).toBe(202);
    const result = await waitForEnd(system.url, body);
    expectEvaluated(result);
    expect(result.provenance.stt).toBeNull();
    expect(result.transcript!.engine).toBe('text');
    expect(result.metrics!.wpm).toBeNull();
    expect(Object.keys(result.timings.perStageMs).sort()).toEqual(['extract', 'rate']);
    expect(result.profile!.name?.toLowerCase()).toContain(script.facts.name.split(' ')[0].toLowerCase());
  });

  it('shows a job only with its receipt or the admin token', async () => {
    const { body } = await postText(system.url, script.text);
    const accepted = body as Accepted;
    const bare = await fetch(`${system.url}/api/submissions/${accepted.id}`);
    expect(bare.status).toBe(401);
    expect(((await bare.json()) as { error: { code: string } }).error.code).toBe('UNAUTHORIZED');
    const forged = await fetch(`${system.url}/api/submissions/${accepted.id}`, { headers: { 'x-receipt': 'forged' } });
    expect(forged.status).toBe(403);
    const admin = await fetch(`${system.url}/api/submissions/${accepted.id}`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
    expect(admin.status).toBe(200);
    expect((await getResult(system.url, accepted)).id).toBe(accepted.id);
  });

  it('rejects malformed requests with a code that names the problem', async () => {
    const empty = await postText(system.url, '   ');
    expect(empty.status).toBe(400);
    expect(empty.body.error.code).toBe('TRANSCRIPT_EMPTY');
    const wrongType = await fetch(`${system.url}/api/submissions`, { method: 'POST', body: 'hello', headers: { 'content-type': 'text/plain' } });
    expect(wrongType.status).toBe(415);
    const badJson = await fetch(`${system.url}/api/submissions`, { method: 'POST', body: '{"text":', headers: { 'content-type': 'application/json' } });
    expect(badJson.status).toBe(400);
    const textFile = join(dir, 'empty.txt');
    await writeFile(textFile, '');
    const cli = await runCli(['submit', '--text-file', textFile, '--json'], { XDG_CONFIG_HOME: dir, INTROEVAL_URL: system.url });
    expect(cli.code).toBe(2);
    expect(JSON.parse(cli.stdout).error.code).toBe('TRANSCRIPT_EMPTY');
    const usage = await runCli(['submit'], { XDG_CONFIG_HOME: dir, INTROEVAL_URL: system.url });
    expect(usage.code).toBe(1);
    const unreachable = await runCli(['get', '00000000-0000-4000-8000-000000000000', '--admin-token', ADMIN_TOKEN, '--url', 'http://127.0.0.1:9'], {});
    expect(unreachable.code).toBe(1);
    expect(unreachable.stderr).toContain('cannot reach IntroEval');
  });
});
