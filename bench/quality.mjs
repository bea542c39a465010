// Extraction quality: per-field precision / recall / F1 of the rules extractor against the labelled introductions
// (libs/engines/fixtures/intros; labelling guide and scoring rules in its README), on written and ASR text
// separately, with the tuning and holdout splits apart. Compared with the previous rule set's numbers on the same
// set (bench/quality-baseline.json, measured once before the rules were reworked: the old code is gone).
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { RulesExtractionEngine } from '@introeval/engines';
import { FUZZY_MATCH_THRESHOLD, QUALITY_FIELDS, addCounts, compareProfiles, fieldScore, loadIntroFixtures } from '@introeval/engines/quality';
import { machine, writeJson, writeSection } from './_report.mjs';

/** The issue's targets, on written text. */
const TARGETS = {
  name: 0.85, degree: 0.85, major: 0.85, institution: 0.85, graduationYear: 0.85,
  skills: 0.7, projects: 0.7, experience: 0.7, achievements: 0.7, hobbies: 0.7,
};
const SINGLE = ['name', 'degree', 'major', 'institution', 'graduationYear'];
const LISTS = ['skills', 'projects', 'experience', 'achievements', 'hobbies'];
/** Extraction is sub-millisecond: time this many passes over the whole set for a stable mean. */
const TIMING_PASSES = 20;

function score(runs) {
  let counts = null;
  for (const run of runs) counts = addCounts(counts, run.counts);
  return Object.fromEntries(QUALITY_FIELDS.map((field) => [field, fieldScore(counts?.[field] ?? { tp: 0, fp: 0, fn: 0 })]));
}

const mean = (values) => values.reduce((a, b) => a + b, 0) / values.length;
const fmt = (value) => (value === null || value === undefined ? '–' : value.toFixed(2));

/** Every field's disagreements for one introduction: what was expected and what came out. */
function misses(fixture, actual, counts) {
  return QUALITY_FIELDS.filter((f) => counts[f].fp + counts[f].fn > 0).map((field) => ({ field, expected: fixture.expected[field], actual: actual[field] }));
}

function table(groups, kind, baseline) {
  const tune = groups[`${kind}/tune`];
  const holdout = groups[`${kind}/holdout`];
  const all = groups[`${kind}/all`];
  const before = baseline?.groups?.[`${kind}/all`];
  const targets = kind === 'written';
  const row = (field) => {
    const met = targets && TARGETS[field] !== undefined ? (all[field].f1 >= TARGETS[field] ? ' ✓' : ' ✗') : '';
    const cells = [tune[field].precision, tune[field].recall, tune[field].f1, holdout[field].precision, holdout[field].recall, holdout[field].f1].map(fmt);
    return `| ${field} | ${targets ? fmt(TARGETS[field]) : ''} | ${cells.join(' | ')} | **${fmt(all[field].f1)}**${met} | ${fmt(before?.[field]?.f1)} |`;
  };
  const macro = (label, fields) => {
    const m = (group) => (group ? fmt(mean(fields.map((f) => group[f].f1 ?? 0))) : '–');
    return `| *mean of ${label}* | ${targets ? fmt(TARGETS[fields[0]]) : ''} | | | ${m(tune)} | | | ${m(holdout)} | **${m(all)}** | ${m(before)} |`;
  };
  return [
    `| field | target F1 | tune P | tune R | tune F1 | holdout P | holdout R | holdout F1 | all F1 | ${baseline?.version ?? 'previous'} F1 |`,
    '|---|---|---|---|---|---|---|---|---|---|',
    ...QUALITY_FIELDS.map(row),
    macro(SINGLE.join(', '), SINGLE),
    macro(LISTS.join(', '), LISTS),
  ].join('\n');
}

export async function run({ root }) {
  const engine = new RulesExtractionEngine();
  const fixtures = loadIntroFixtures();
  const runs = [];
  for (const fixture of fixtures) {
    const actual = await engine.extract({ text: fixture.text });
    runs.push({ fixture, actual, counts: compareProfiles(fixture.expected, actual) });
  }
  const started = performance.now();
  for (let pass = 0; pass < TIMING_PASSES; pass++) for (const fixture of fixtures) await engine.extract({ text: fixture.text });
  const msPerIntro = (performance.now() - started) / (TIMING_PASSES * fixtures.length);

  const groups = {};
  for (const kind of ['written', 'asr']) {
    for (const split of ['tune', 'holdout', 'all']) {
      groups[`${kind}/${split}`] = score(runs.filter((r) => r.fixture.kind === kind && (split === 'all' || r.fixture.split === split)));
    }
  }
  const count = (kind, split) => fixtures.filter((f) => f.kind === kind && (!split || f.split === split)).length;
  const baselinePath = join(root, 'bench', 'quality-baseline.json');
  const baseline = existsSync(baselinePath) ? JSON.parse(readFileSync(baselinePath, 'utf8')) : null;

  const date = new Date().toISOString();
  writeJson(root, 'quality', {
    machine: machine(),
    date,
    provenance: engine.provenance,
    threshold: FUZZY_MATCH_THRESHOLD,
    msPerIntro,
    groups,
    introductions: runs.map(({ fixture, actual, counts }) => ({
      id: fixture.id,
      kind: fixture.kind,
      split: fixture.split,
      misses: misses(fixture, actual, counts),
    })),
  });

  const written = groups['written/all'];
  const failing = Object.keys(TARGETS).filter((field) => written[field].f1 < TARGETS[field]);
  console.log(`written F1: ${Object.keys(TARGETS).map((f) => `${f} ${fmt(written[f].f1)}`).join(', ')}`);
  console.log(failing.length === 0 ? 'all written-text targets met' : `below target on written text: ${failing.join(', ')}`);

  writeSection(
    root,
    'quality',
    `## Extraction quality (\`npm run bench -- quality\`)

${date.slice(0, 10)} on ${machine()}. Engine \`${engine.provenance.engine} / ${engine.provenance.version}\` against ${fixtures.length} labelled introductions in \`libs/engines/fixtures/intros\` (labelling guide and scoring rules in its README): ${count('written')} written (${count('written', 'tune')} tune, ${count('written', 'holdout')} holdout) and ${count('asr')} ASR transcripts of some of them (${count('asr', 'tune')} tune, ${count('asr', 'holdout')} holdout; 6 are real pocketsphinx output of flite speech). Rules were changed only by looking at \`tune\` failures; \`holdout\` is reported as measured. Single values: normalised exact match (degree abbreviations, institution and major aliases equivalent). Lists and the career goal: Dice similarity of content-word stems >= ${FUZZY_MATCH_THRESHOLD}, items paired one-to-one (maximum matching). Counts pooled over introductions. The last column is the previous rule set on the same introductions${baseline ? ` (measured ${baseline.date.slice(0, 10)})` : ''}. Extraction takes ${msPerIntro.toFixed(2)} ms per introduction (mean of ${TIMING_PASSES} passes).

Written text; targets: single values F1 >= 0.85, lists F1 >= 0.70 (✓ / ✗ on all written):

${table(groups, 'written', baseline)}

ASR transcripts (lowercase, no punctuation, misrecognised words; facts the recogniser destroyed are not expected):

${table(groups, 'asr', baseline)}`,
  );
}
