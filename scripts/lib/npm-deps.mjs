// Installs npm packages when node_modules is missing or older than the lockfile, then builds. Built-ins only.
import { execFileSync } from 'node:child_process';
import { statSync } from 'node:fs';
import { join } from 'node:path';

function mtime(path) {
  try {
    return statSync(path).mtimeMs;
  } catch {
    return -1;
  }
}

export function ensureNpmPackages(root) {
  const installed = mtime(join(root, 'node_modules', '.package-lock.json'));
  if (installed < 0 || installed < mtime(join(root, 'package-lock.json'))) {
    console.log('installing npm packages (npm ci)');
    execFileSync('npm', ['ci', '--no-audit', '--no-fund'], { cwd: root, stdio: 'inherit' });
  }
  // `npm ci` builds through the prepare script; this catches sources edited since.
  execFileSync(process.execPath, [join(root, 'scripts', 'build.mjs')], { cwd: root, stdio: 'inherit' });
}
