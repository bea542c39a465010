import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { reapStaleWorkDirs, withWorkDir } from './work-dir.js';

/** The pid of a process that has just exited (and so is certainly not alive). */
async function deadPid(): Promise<number> {
  const child = spawn('true');
  await new Promise((resolve) => child.once('exit', resolve));
  return child.pid!;
}

describe('scratch directories', () => {
  let root: string;
  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'work-dir-spec-'));
  });
  afterEach(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('gives a directory named after this process and removes it afterwards, even on error', async () => {
    let seen = '';
    await expect(
      withWorkDir(root, 'stt-job1', async (dir) => {
        seen = dir;
        await writeFile(join(dir, 'audio.wav'), 'x');
        expect(dir).toContain(`stt-job1.pid${process.pid}-`);
        throw new Error('engine failed');
      }),
    ).rejects.toThrow('engine failed');
    expect(seen).not.toBe('');
    expect(await readdir(root)).toEqual([]);
  });

  it('reaps the directories of dead processes only', async () => {
    const dead = await deadPid();
    await mkdir(join(root, `upload-a.pid${dead}-abc123`));
    await writeFile(join(root, `upload-a.pid${dead}-abc123`, 'source'), 'x');
    await mkdir(join(root, `upload-b.pid${process.pid}-def456`));
    await mkdir(join(root, 'unrelated'));
    expect(await reapStaleWorkDirs(root)).toBe(1);
    expect((await readdir(root)).sort()).toEqual(['unrelated', `upload-b.pid${process.pid}-def456`]);
  });

  it('does nothing when the root does not exist yet', async () => {
    expect(await reapStaleWorkDirs(join(root, 'missing'))).toBe(0);
  });
});
