#!/usr/bin/env node
// Compiles every app and lib (src/**/*.ts, specs excluded) to <project>/dist with swc.
// swc, not tsx/esbuild: Nest needs decorator metadata (STACK.md). Type checking is `npm run typecheck`.
// Incremental: a file is rebuilt only when its source is newer than its output.
// First, the status API's TypeScript is generated from proto/ (buf + ts-proto, buf.gen.yaml) when a proto changed.
import { spawnSync } from 'node:child_process';
import { mkdir, readdir, stat, writeFile, rm } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
// Specs and their fixtures are not part of a build.
const SPEC = /\.(spec|int-spec|e2e-spec|fixture)\.ts$/;

async function* sources(dir) {
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* sources(path);
    else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts') && !SPEC.test(entry.name)) yield path;
  }
}

async function mtime(path) {
  try {
    return (await stat(path)).mtimeMs;
  } catch {
    return -1;
  }
}

async function projects() {
  const found = [];
  for (const group of ['apps', 'libs']) {
    const dir = join(root, group);
    for (const entry of await readdir(dir, { withFileTypes: true }).catch(() => [])) {
      if (entry.isDirectory() && (await mtime(join(dir, entry.name, 'src'))) >= 0) found.push(join(dir, entry.name));
    }
  }
  return found;
}

/** The generated code is never committed: it is made from proto/ whenever a .proto is newer than it. */
async function generateFromProtos(clean) {
  const out = join(root, 'libs', 'status-api', 'src', 'generated');
  let newest = -1;
  for await (const file of files(join(root, 'proto'), '.proto')) newest = Math.max(newest, await mtime(file));
  let oldest = Infinity;
  for await (const file of files(out, '.ts')) oldest = Math.min(oldest, await mtime(file));
  if (!clean && oldest !== Infinity && oldest >= newest) return;
  await rm(out, { recursive: true, force: true });
  const buf = spawnSync(join(root, 'node_modules', '.bin', 'buf'), ['generate'], { cwd: root, encoding: 'utf8' });
  if (buf.status !== 0) throw new Error(`buf generate failed: ${buf.stderr || buf.error?.message}`);
  console.log('build: generated the status API from proto/');
}

async function* files(dir, suffix) {
  for (const entry of await readdir(dir, { withFileTypes: true }).catch(() => [])) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* files(path, suffix);
    else if (entry.name.endsWith(suffix)) yield path;
  }
}

async function main() {
  const { transformFile } = await import('@swc/core');
  const clean = process.argv.includes('--clean');
  await generateFromProtos(clean);
  let built = 0;
  for (const project of await projects()) {
    const src = join(project, 'src');
    const dist = join(project, 'dist');
    if (clean) await rm(dist, { recursive: true, force: true });
    const jobs = [];
    for await (const file of sources(src)) {
      const out = join(dist, relative(src, file)).replace(/\.ts$/, '.js');
      if ((await mtime(out)) >= (await mtime(file))) continue;
      jobs.push(
        (async () => {
          const { code, map } = await transformFile(file, {
            swcrc: true,
            configFile: join(root, '.swcrc'),
            sourceFileName: relative(dirname(out), file),
          });
          await mkdir(dirname(out), { recursive: true });
          await writeFile(out, `${code}\n//# sourceMappingURL=${out.split('/').pop()}.map\n`);
          if (map) await writeFile(`${out}.map`, map);
        })(),
      );
    }
    await Promise.all(jobs);
    built += jobs.length;
  }
  if (built > 0) console.log(`build: compiled ${built} file(s)`);
}

main().catch((error) => {
  console.error(`build failed: ${error.message}`);
  process.exit(1);
});
