import { STAGES, type Stage, type SubmissionStatus } from '@introeval/contracts';
import { INTRO_SCRIPTS, speechWav, type SystemHandle } from '@introeval/testing';
import { useSystem } from './environment.js';
import { postFile, runCli, type Accepted } from './support.js';

const ADMIN_TOKEN = 'e2e-admin-token-0123456789';

/** Reads `GET /api/submissions/:id/events` to its end: every `status` event, and whether `end` came last. */
async function serverEvents(url: string, accepted: Accepted): Promise<{ statuses: SubmissionStatus[]; types: string[] }> {
  const response = await fetch(`${url}/api/submissions/${accepted.id}/events?receipt=${encodeURIComponent(accepted.receipt)}`);
  expect(response.status).toBe(200);
  const statuses: SubmissionStatus[] = [];
  const types: string[] = [];
  // The stream ends after the final status: the whole body is the sequence.
  for (const block of (await response.text()).split('\n\n')) {
    const type = /^event: (.*)$/m.exec(block)?.[1];
    const data = /^data: (.*)$/m.exec(block)?.[1];
    if (!type || data === undefined) continue;
    types.push(type);
    if (type === 'status') statuses.push(JSON.parse(data) as SubmissionStatus);
  }
  return { statuses, types };
}

/** The job's place in its current stage, read off a status (0 while it runs there). */
const currentPosition = (status: SubmissionStatus) => status.position.find((p) => p.current)?.position ?? 0;

describe('a job followed live: position, what it waits for and the ETA, over HTTP, SSE and the CLI', () => {
  const env = useSystem({ ADMIN_TOKEN });
  let system: SystemHandle;
  let wav: string;

  beforeAll(async () => {
    system = env.system;
    wav = await speechWav(INTRO_SCRIPTS[1], 'slt', env.dir);
  });

  it('streams a media job through upload, transcribe, extract and rate in order, its position never rising', async () => {
    // Three at once: the later ones wait behind the first for the one pocketsphinx slot.
    const submitted = await Promise.all([0, 1, 2].map(() => postFile(system.url, wav)));
    for (const s of submitted) expect(s.status).toBe(202);
    const streams = await Promise.all(submitted.map((s) => serverEvents(system.url, s.body)));
    for (const { statuses, types } of streams) {
      expect(types.at(-1)).toBe('end');
      const final = statuses.at(-1)!;
      expect(final.status).toBe('completed');
      expect(final.position).toEqual([]);
      expect(final.eta).toBeNull();
      // The stages it was seen in, in the order seen: a subsequence of the pipeline that ends in rate.
      const seen = statuses.map((s) => s.stage).filter((stage, i, all) => all.indexOf(stage) === i);
      expect(seen).toEqual(STAGES.filter((stage) => seen.includes(stage)));
      expect(seen.at(-1)).toBe<Stage>('rate');
      // Within a stage, nothing queues ahead of a job that is already waiting: its position only falls.
      for (const stage of seen) {
        const positions = statuses.filter((s) => s.stage === stage && s.status !== 'completed').map(currentPosition);
        for (let i = 1; i < positions.length; i++) expect(positions[i]).toBeLessThanOrEqual(positions[i - 1]);
      }
      // Every unfinished state carried an ETA with its range and basis, and said what the job waited for.
      for (const s of statuses.filter((x) => x.status === 'queued' || x.status === 'processing')) {
        expect(s.eta).not.toBeNull();
        expect(Date.parse(s.eta!.low)).toBeLessThanOrEqual(Date.parse(s.eta!.completeAt));
        expect(Date.parse(s.eta!.completeAt)).toBeLessThanOrEqual(Date.parse(s.eta!.high));
        expect(s.eta!.basis.length).toBeGreaterThan(10);
        expect(s.waitingFor?.message.length).toBeGreaterThan(5);
        expect(s.position[0]?.stage).toBe(s.stage);
      }
    }
    // All three started in upload and were seen there or later; at least one stream saw more than the end.
    expect(streams.some((s) => s.statuses.length > 1)).toBe(true);
  });

  it('`introeval watch ID` prints the live line and the summary; --json one line per change', async () => {
    const cliEnv = { XDG_CONFIG_HOME: env.dir, INTROEVAL_URL: system.url };
    const submit = await runCli(['submit', wav, '--student', 's-watch'], cliEnv);
    expect(submit.code).toBe(0);
    const id = /submitted ([0-9a-f-]{36})/.exec(submit.stdout)![1];
    const watched = await runCli(['watch', id], cliEnv);
    expect(watched.code).toBe(0);
    expect(watched.stdout).toContain(`Submission ${id}: completed`);
    expect(watched.stderr).toMatch(new RegExp(`${id.slice(0, 8)} .*ETA \\d`));

    const again = await runCli(['watch', id, '--json'], cliEnv);
    expect(again.code).toBe(0);
    const lines = again.stdout.trim().split('\n').map((line) => JSON.parse(line) as SubmissionStatus);
    expect(lines.at(-1)).toMatchObject({ id, status: 'completed', position: [], eta: null });
  });

  it('shows admins the queues and nodes over HTTP and the CLI, and refuses students', async () => {
    const queues = await fetch(`${system.url}/api/status/queues`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
    expect(queues.status).toBe(200);
    const listing = (await queues.json()) as { queues: Array<{ stage: string; consumers: number; alarm: string | null }> };
    expect(listing.queues.map((q) => q.stage)).toEqual([...STAGES]);
    for (const q of listing.queues) expect(q.consumers).toBeGreaterThanOrEqual(1);
    const refused = await fetch(`${system.url}/api/status/queues`);
    expect(refused.status).toBe(401);

    const cliEnv = { XDG_CONFIG_HOME: env.dir, INTROEVAL_URL: system.url, INTROEVAL_ADMIN_TOKEN: ADMIN_TOKEN };
    const status = await runCli(['status'], cliEnv);
    expect(status.code).toBe(0);
    expect(status.stdout).toContain('no GPU nodes');
    expect(status.stdout).toMatch(/^transcribe\s+\d+\s+\d+/m);
    const queue = await runCli(['queue', 'rate', '--json'], cliEnv);
    expect(queue.code).toBe(0);
    expect((JSON.parse(queue.stdout) as { queues: Array<{ stage: string }> }).queues.map((q) => q.stage)).toEqual(['rate']);
    const unknown = await runCli(['queue', 'grading'], cliEnv);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('unknown stage "grading"');
  });
});
