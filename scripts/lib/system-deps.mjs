// Finds the Debian packages IntroEval needs and installs the missing ones (apt-get, as root) or names the exact
// command to run. Built-ins only: this runs before `npm ci`.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

/** Debian package -> how to tell it is installed. */
const CHECKS = {
  'nats-server': () => onPath('nats-server'),
  ffmpeg: () => onPath('ffmpeg') && onPath('ffprobe'),
  pocketsphinx: () => onPath('pocketsphinx_continuous'),
  'pocketsphinx-en-us': () => existsSync('/usr/share/pocketsphinx/model/en-us/en-us'),
  flite: () => onPath('flite'),
};

/** What running the system needs. */
export const RUNTIME_PACKAGES = ['nats-server', 'ffmpeg', 'pocketsphinx', 'pocketsphinx-en-us'];
/** What the test suite needs on top (flite speaks the test recordings). */
export const TEST_PACKAGES = [...RUNTIME_PACKAGES, 'flite'];

function onPath(command) {
  return spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0;
}

export function ensureSystemPackages(packages) {
  const missing = packages.filter((name) => !CHECKS[name]());
  if (missing.length === 0) return;
  const install = `apt-get install -y ${missing.join(' ')}`;
  if (process.getuid?.() !== 0) {
    console.error(`IntroEval needs these Debian packages: ${missing.join(', ')}\nInstall them with:\n  sudo apt-get update && sudo ${install}`);
    process.exit(1);
  }
  console.log(`installing system packages: ${missing.join(' ')}`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  execFileSync('apt-get', ['update', '-q'], { stdio: 'inherit', env });
  execFileSync('apt-get', ['install', '-y', '-q', '-o', 'DPkg::Lock::Timeout=600', ...missing], { stdio: 'inherit', env });
  const still = missing.filter((name) => !CHECKS[name]());
  if (still.length > 0) {
    console.error(`still missing after apt-get: ${still.join(', ')}`);
    process.exit(1);
  }
}
