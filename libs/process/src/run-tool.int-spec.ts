import { runTool } from './run-tool.js';
import { ToolExitError, ToolNotInstalledError, ToolOutputTooLargeError, ToolTimeoutError } from './tool.errors.js';

// Node itself stands in for a tool: these tests are about process handling, not about any one tool.
const node = (script: string): [string, string[]] => [process.execPath, ['-e', script]];

describe('runTool', () => {
  it('collects stdout and stderr of a successful run', async () => {
    const [tool, args] = node("process.stdout.write('{\"ok\":1}'); process.stderr.write('note')");
    await expect(runTool(tool, args, { timeoutMs: 10_000 })).resolves.toEqual({ stdout: '{"ok":1}', stderr: 'note' });
  });

  it('reports a non-zero exit with the tool stderr', async () => {
    const [tool, args] = node("console.error('moov atom not found'); process.exit(3)");
    const error = await runTool(tool, args, { timeoutMs: 10_000 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ToolExitError);
    expect(error).toMatchObject({ exitCode: 3, stderr: expect.stringContaining('moov atom not found') });
    expect((error as Error).message).toContain('moov atom not found');
  });

  it('kills a tool that runs past its time limit', async () => {
    const [tool, args] = node("console.error('decoding...'); setInterval(() => {}, 1000)");
    const started = Date.now();
    const error = await runTool(tool, args, { timeoutMs: 300 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ToolTimeoutError);
    expect(error).toMatchObject({ timeoutMs: 300, stderr: expect.stringContaining('decoding') });
    expect(Date.now() - started).toBeLessThan(3_000);
  });

  it('kills a tool that prints more than allowed', async () => {
    const [tool, args] = node("process.stdout.write('x'.repeat(1 << 20)); setInterval(() => {}, 1000)");
    await expect(runTool(tool, args, { timeoutMs: 10_000, maxStdoutBytes: 1000 })).rejects.toBeInstanceOf(ToolOutputTooLargeError);
  });

  it('names the Debian package of a tool that is missing', async () => {
    const error = await runTool('introeval-no-such-tool', ['-h'], { timeoutMs: 10_000, debianPackage: 'nvidia-smi' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ToolNotInstalledError);
    expect(error).toMatchObject({ tool: 'introeval-no-such-tool', debianPackage: 'nvidia-smi' });
    expect((error as Error).message).toMatch(/ENOENT.*apt-get install -y nvidia-smi$/);
  });

  it('asks whether a missing tool of no known package is on PATH', async () => {
    const error = await runTool('introeval-no-such-tool', [], { timeoutMs: 10_000 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ToolNotInstalledError);
    expect((error as Error).message).toMatch(/ENOENT.*is it installed and on PATH\?$/);
  });
});

describe('runTool with an abort signal', () => {
  it('kills the child and rejects with the reason, not as a tool failure', async () => {
    const controller = new AbortController();
    const started = Date.now();
    const running = runTool('sleep', ['30'], { timeoutMs: 60_000, signal: controller.signal });
    setTimeout(() => controller.abort(new Error('stage cancelled')), 100);
    await expect(running).rejects.toThrow('stage cancelled');
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('does not start when already aborted', async () => {
    const controller = new AbortController();
    controller.abort(new Error('too late'));
    await expect(runTool('sleep', ['30'], { timeoutMs: 60_000, signal: controller.signal })).rejects.toThrow('too late');
  });
});
