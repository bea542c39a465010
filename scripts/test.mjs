#!/usr/bin/env node
// `npm test`: installs what the tests need, builds, type-checks, lints, then runs unit + integration specs and the
// end-to-end specs (real processes, real nats-server, ffmpeg, pocketsphinx). Prints one closing
// `N passed, N failed` line. Extra arguments go to jest (e.g. `npm test -- libs/storage`).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureNpmPackages } from './lib/npm-deps.mjs';
import { ensureSystemPackages, TEST_PACKAGES } from './lib/system-deps.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const bin = (name) => join(root, 'node_modules', '.bin', name);
const extra = process.argv.slice(2);

function step(title, command, args, env = {}) {
  console.log(`\n=== ${title}`);
  const started = Date.now();
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } });
  console.log(`=== ${title}: ${result.status === 0 ? 'ok' : 'FAILED'} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return result.status === 0;
}

function jest(title, args, report) {
  return step(title, bin('jest'), [...args, '--passWithNoTests', '--json', `--outputFile=${report}`, ...extra], {
    NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --experimental-vm-modules --no-warnings=ExperimentalWarning`.trim(),
  });
}

function counts(report) {
  try {
    const json = JSON.parse(readFileSync(report, 'utf8'));
    return { passed: json.numPassedTests, failed: json.numFailedTests + json.numRuntimeErrorTestSuites };
  } catch {
    return { passed: 0, failed: 1 };
  }
}

ensureSystemPackages(TEST_PACKAGES);
ensureNpmPackages(root);

const reports = mkdtempSync(join(tmpdir(), 'introeval-test-'));
let ok = step('type check', bin('tsc'), ['-p', 'tsconfig.json']);
// proto/ is the status API's source of truth: it must stay clean under buf's STANDARD rules (buf.yaml).
ok = step('proto lint', bin('buf'), ['lint']) && ok;
// The module-boundary rule reads Nx's project graph and silently skips itself without one: build it first.
ok = step('project graph', bin('nx'), ['show', 'projects'], { NX_DAEMON: 'false' }) && ok;
ok = step('lint', bin('eslint'), ['--max-warnings=0', '.'], { NX_DAEMON: 'false' }) && ok;
const fast = join(reports, 'fast.json');
const e2e = join(reports, 'e2e.json');
ok = jest('unit + integration specs', ['--selectProjects', 'unit', 'integration', '--maxWorkers=2'], fast) && ok;
ok = jest('end-to-end specs', ['--selectProjects', 'e2e', '--runInBand'], e2e) && ok;

const total = [fast, e2e].map(counts).reduce((a, b) => ({ passed: a.passed + b.passed, failed: a.failed + b.failed }));
rmSync(reports, { recursive: true, force: true });
console.log(`\n${total.passed} passed, ${total.failed} failed`);
process.exit(ok && total.failed === 0 ? 0 : 1);
