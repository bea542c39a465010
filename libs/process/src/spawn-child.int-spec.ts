import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { spawnChild } from './spawn-child.js';
import { ToolNotInstalledError } from './tool.errors.js';

/** True while a process with this pid runs; a zombie (killed, not yet reaped by whoever adopted it) counts as gone. */
function alive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false;
  }
}

/** Waits up to 5 s for `pid` to be gone; a SIGKILLed process goes within milliseconds. */
async function goneSoon(pid: number): Promise<boolean> {
  for (let waited = 0; waited < 5000 && alive(pid); waited += 20) await sleep(20);
  return !alive(pid);
}

/** A shell that starts a long sleep in the background, prints its pid and waits: a child with a child of its own. */
function parentOfSleeper(signal?: AbortSignal) {
  const child = spawnChild('sh', ['-c', 'sleep 30 & echo $!; wait'], { signal });
  const grandchild = new Promise<number>((resolve) => {
    child.stdout.setEncoding('utf8');
    child.stdout.once('data', (data: string) => resolve(Number(data.trim())));
  });
  return { child, grandchild };
}

describe('spawnChild', () => {
  it('resolves with the exit status once the output has been read', async () => {
    const child = spawnChild(process.execPath, ['-e', "process.stdout.write('done'); process.exit(4)"]);
    let out = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (data: string) => (out += data));
    await expect(child.exit).resolves.toEqual({ code: 4, signal: null });
    expect(out).toBe('done');
  });

  it('kills the child and the children it started when the signal fires, rejecting with the reason', async () => {
    const controller = new AbortController();
    const { child, grandchild } = parentOfSleeper(controller.signal);
    const sleeper = await grandchild;
    expect(alive(sleeper)).toBe(true);

    controller.abort(new Error('job cancelled'));
    await expect(child.exit).rejects.toThrow('job cancelled');
    expect(await goneSoon(sleeper)).toBe(true);
  });

  it('kills the whole tree for the first reason given to kill', async () => {
    const { child, grandchild } = parentOfSleeper();
    const sleeper = await grandchild;
    child.kill(new Error('too slow'));
    child.kill(new Error('second reason, ignored'));
    await expect(child.exit).rejects.toThrow('too slow');
    expect(await goneSoon(sleeper)).toBe(true);
  });

  it('starts nothing when the signal has already fired, and wraps a reason that is not an Error', () => {
    const controller = new AbortController();
    controller.abort('shutting down');
    expect(() => spawnChild('sleep', ['30'], { signal: controller.signal })).toThrow(
      expect.objectContaining({ name: 'AbortError', message: 'aborted: shutting down', cause: 'shutting down' }),
    );
  });

  it('rejects with ToolNotInstalledError naming the package when the command cannot be started', async () => {
    const child = spawnChild('introeval-no-such-tool', ['-x'], { debianPackage: 'pocketsphinx pocketsphinx-en-us' });
    const error = await child.exit.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ToolNotInstalledError);
    expect(error).toMatchObject({ tool: 'introeval-no-such-tool', args: ['-x'] });
    expect((error as Error).message).toContain('apt-get install -y pocketsphinx pocketsphinx-en-us');
  });
});
