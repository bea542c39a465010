import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { detectVramMb } from './vram.js';

// Real child processes: small scripts stand in for nvidia-smi, which this machine does not have.
describe('detectVramMb', () => {
  let dir: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'introeval-vram-'));
  });

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  async function fakeNvidiaSmi(name: string, script: string): Promise<string> {
    const path = join(dir, name);
    await writeFile(path, `#!/bin/sh\n${script}\n`);
    await chmod(path, 0o755);
    return path;
  }

  it('reads the first GPU total from what nvidia-smi prints, asking for exactly that query', async () => {
    const argsFile = join(dir, 'args.txt');
    const command = await fakeNvidiaSmi('ok', `echo "$@" > ${argsFile}\nprintf '8192\\n24576\\n'`);

    expect(await detectVramMb({ command })).toBe(8192);
    expect(execFileSync('cat', [argsFile], { encoding: 'utf8' }).trim()).toBe('--query-gpu=memory.total --format=csv,noheader,nounits');
  });

  it('gives null when nvidia-smi fails (no driver loaded)', async () => {
    const command = await fakeNvidiaSmi('fails', `echo "NVIDIA-SMI has failed because it couldn't communicate with the NVIDIA driver."\nexit 9`);

    expect(await detectVramMb({ command })).toBeNull();
  });

  it('gives null when nvidia-smi hangs past the time limit', async () => {
    const command = await fakeNvidiaSmi('hangs', 'exec sleep 30');

    expect(await detectVramMb({ command, timeoutMs: 200 })).toBeNull();
  });

  it('gives null when there is no nvidia-smi at all', async () => {
    expect(await detectVramMb({ command: join(dir, 'no-such-nvidia-smi') })).toBeNull();
  });

  it('on this machine agrees with whether nvidia-smi is on the PATH', async () => {
    const onPath = (process.env['PATH'] ?? '').split(':').some((p) => {
      try {
        execFileSync('test', ['-x', join(p, 'nvidia-smi')]);
        return true;
      } catch {
        return false;
      }
    });

    const detected = await detectVramMb();

    if (onPath) expect(detected === null || detected > 0).toBe(true);
    else expect(detected).toBeNull();
  });
});
