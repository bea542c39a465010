import { mkdir, mkdtemp, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';

/** `<prefix>.pid<N>-XXXXXX`: the owning process is part of the name, so leftovers of a dead one can be found. */
const OWNED = /\.pid(\d+)-[^/]+$/;

/** Runs `fn` with a fresh scratch directory under `root` that is removed afterwards, whatever happens. */
export async function withWorkDir<T>(root: string, prefix: string, fn: (dir: string) => Promise<T>): Promise<T> {
  await mkdir(root, { recursive: true });
  const dir = await mkdtemp(join(root, `${prefix}.pid${process.pid}-`));
  try {
    return await fn(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Removes scratch directories under `root` whose process is gone (a worker killed with -9 cannot clean up after
 * itself). Directories of live processes, this one's siblings on the same machine included, are left alone.
 * Returns how many were removed.
 */
export async function reapStaleWorkDirs(root: string): Promise<number> {
  const entries = await readdir(root).catch(() => [] as string[]);
  let removed = 0;
  for (const entry of entries) {
    const pid = Number(OWNED.exec(entry)?.[1] ?? NaN);
    if (!Number.isInteger(pid) || pid === process.pid || alive(pid)) continue;
    await rm(join(root, entry), { recursive: true, force: true });
    removed++;
  }
  return removed;
}
