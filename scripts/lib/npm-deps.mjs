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
    // Not `npm ci`: the registry here 404s other platforms' optional binaries (@swc/core-darwin-*, ...), so no lock
    // written here lists them and `npm ci` rejects it as out of sync. `npm install` installs exactly the lock.
    console.log('installing npm packages (npm install, from package-lock.json)');
    execFileSync('npm', ['install', '--no-audit', '--no-fund'], { cwd: root, stdio: 'inherit' });
  }
  // The install builds through the prepare script; this catches sources edited since.
  execFileSync(process.execPath, [join(root, 'scripts', 'build.mjs')], { cwd: root, stdio: 'inherit' });
}
