#!/usr/bin/env node
// `npm run bench [-- NAME ...]`: runs benchmarks from bench/NAME.mjs (default: all), each writing its JSON report
// to bench-results/ and its section of BENCHMARKS.md (between <!-- bench:NAME --> markers) with machine and date.
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { ensureNpmPackages } from './lib/npm-deps.mjs';
import { ensureSystemPackages, TEST_PACKAGES } from './lib/system-deps.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const available = readdirSync(join(root, 'bench'))
  .filter((file) => file.endsWith('.mjs') && !file.startsWith('_'))
  .map((file) => file.replace(/\.mjs$/, ''));
const wanted = process.argv.slice(2);
const unknown = wanted.filter((name) => !available.includes(name));
if (unknown.length > 0) {
  console.error(`unknown benchmark(s): ${unknown.join(', ')}; available: ${available.join(', ')}`);
  process.exit(1);
}

ensureSystemPackages(TEST_PACKAGES);
ensureNpmPackages(root);
for (const name of wanted.length > 0 ? wanted : available) {
  console.log(`\n=== bench ${name}`);
  const bench = await import(pathToFileURL(join(root, 'bench', `${name}.mjs`)).href);
  await bench.run({ root });
}
process.exit(0);
