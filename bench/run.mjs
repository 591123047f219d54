// `pnpm bench`: @bucketry/core (built dist) against GrowthBook 1.8 and xxhashjs, in one run.
// Prints ops/s, ratios, the issue's targets with PASS/FAIL and bundle sizes, and writes
// bench/.results/latest.json. See bench/README.md.
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { fileURLToPath } from 'node:url';

// One core: re-run this script pinned to one CPU, so that V8's compiler and GC threads share
// the core with the measured thread instead of borrowing the other one.
const PIN_CPU = process.env.BENCH_CPU ?? '0';
if (process.platform === 'linux' && process.env.BENCH_PINNED === undefined && PIN_CPU !== 'none') {
  const pinned = spawnSync('taskset', ['-c', PIN_CPU, process.execPath, ...process.execArgv, fileURLToPath(import.meta.url)], {
    stdio: 'inherit',
    env: { ...process.env, BENCH_PINNED: PIN_CPU },
  });
  if (pinned.error === undefined) process.exit(pinned.status ?? 1);
  console.warn(`taskset unavailable (${pinned.error.code}); running unpinned`);
}

// GrowthBook checks NODE_ENV on its hot path; production servers set it, so give it that.
process.env.NODE_ENV ??= 'production';

const { assignVariant, defineExperiment, interleave, xxhash32 } = await import('@bucketry/core');
const { GrowthBookClient } = await import('@growthbook/growthbook');
const { default: XXH } = await import('xxhashjs');
const { measure } = await import('./harness.mjs');
const { ID_SETS, byteRange } = await import('./ids.mjs');
const { measureBundles } = await import('./bundle-sizes.mjs');
const growthbookUtil = await loadGrowthBookHashHelpers();

/**
 * GrowthBook's `hash`, `getBucketRanges` and `chooseVariation` live in dist/esm/util.mjs and are
 * not in the package's exports map, so they are loaded by file path.
 */
async function loadGrowthBookHashHelpers() {
  const { createRequire } = await import('node:module');
  const { pathToFileURL } = await import('node:url');
  const require = createRequire(import.meta.url);
  const packageJson = require.resolve('@growthbook/growthbook/package.json');
  return import(pathToFileURL(packageJson.replace(/package\.json$/, 'dist/esm/util.mjs')).href);
}

const SEED = 42;

// The same experiment in both SDKs: 10% get `list`, 90% keep `tree`.
const ours = defineExperiment({ key: 'skill_tree_layout', variants: ['tree', 'list'], rollout: 10 });
const theirs = { key: 'skill_tree_layout', variations: ['tree', 'list'], weights: [0.9, 0.1] };
const growthbook = new GrowthBookClient();
// GrowthBook's defaults for an inline experiment: hash version 1, seed = key, coverage 1.
const theirRanges = growthbookUtil.getBucketRanges(2, 1, theirs.weights);
const theirBareVariation = (id) => growthbookUtil.chooseVariation(growthbookUtil.hash(theirs.key, id, 1), theirRanges);

// A user context per id, built once: no per-call allocation is charged to GrowthBook.
const contextsOf = (ids) => ids.map((id) => ({ attributes: { id } }));
const CONTEXTS = { user: contextsOf(ID_SETS.user), uuid: contextsOf(ID_SETS.uuid) };

// Each comparison (ours against theirs on one id set) is a group, measured in a fresh process of
// its own, the way JMH forks a JVM per benchmark: V8 optimizes a function for the inputs it saw
// first, so hashing 6-8 byte ids before 10-40 byte ones left xxhash32 about 20% slower on the
// longer ids, an artefact of the bench's order that an app (one id shape) never sees. Within a
// group, samples still alternate between the compared calls, so a noisy neighbour hits both.
const cases = [];
for (const set of ['user', 'uuid']) {
  const group = `assign ${set}`;
  cases.push(
    { group, name: 'bucketry assignVariant', set, ids: ID_SETS[set], fn: (id) => {
      const assignment = assignVariant(ours, id);
      return assignment.bucket + assignment.variant.length;
    } },
    { group, name: 'growthbook runInlineExperiment', set, ids: CONTEXTS[set], fn: (context) => growthbook.runInlineExperiment(theirs, context).variationId },
    { group, name: 'growthbook hash+chooseVariation', set, ids: ID_SETS[set], fn: theirBareVariation },
  );
}
for (const set of ['mixed', 'user', 'uuid']) {
  const group = `hash ${set}`;
  cases.push(
    { group, name: 'bucketry xxhash32', set, ids: ID_SETS[set], fn: (id) => xxhash32(id, SEED) },
    { group, name: 'xxhashjs h32', set, ids: ID_SETS[set], fn: (id) => XXH.h32(id, SEED).toNumber() },
  );
}
// Interleaving two 20-item rankings (overlapping by half) into 10, beside a plain assignment of
// the same units: what a ranked page pays for interleaving (the issue's figure).
const skillOrder = defineExperiment({ key: 'skill_order', variants: ['ranker_a', 'interleaved'], rollout: 100 });
const rankerA = Array.from({ length: 20 }, (_, i) => `skill-${i}`);
const rankerB = Array.from({ length: 20 }, (_, i) => `skill-${(i * 7 + 10) % 30}`);
cases.push(
  { group: 'interleave user', name: 'bucketry assignVariant, beside interleave', set: 'user', ids: ID_SETS.user, fn: (id) => assignVariant(skillOrder, id).bucket },
  { group: 'interleave user', name: 'bucketry interleave 20+20 into 10', set: 'user', ids: ID_SETS.user, fn: (id) =>
    interleave(skillOrder, id, { query: 'home', a: rankerA, b: rankerB, length: 10 }).items.length },
);
const MEASURE_OPTIONS = { warmupSeconds: 0.4, sampleSeconds: 0.15, samples: 9 };

if (process.env.BENCH_GROUP !== undefined) {
  // A child: measure one group and hand the results to the parent on stdout.
  const { results, sink } = measure(cases.filter((c) => c.group === process.env.BENCH_GROUP), MEASURE_OPTIONS);
  process.stdout.write(JSON.stringify({ results, sink }));
  process.exit(0);
}

checkSameAnswers();

const started = performance.now();
const { results, sink } = measureGroupsApart();
const rate = (name, set) => results[cases.findIndex((c) => c.name === name && c.set === set)].opsPerSecond;
const bundles = await measureBundles();
const seconds = (performance.now() - started) / 1000;

const ratios = [];
for (const set of ['user', 'uuid']) {
  ratios.push(
    { name: 'assignVariant / runInlineExperiment', set, ratio: rate('bucketry assignVariant', set) / rate('growthbook runInlineExperiment', set) },
    { name: 'assignVariant / hash+chooseVariation', set, ratio: rate('bucketry assignVariant', set) / rate('growthbook hash+chooseVariation', set) },
    // Every assignment hashes the unit at least once, so one bare xxhash32 call bounds what any
    // assignVariant could reach against runInlineExperiment on this machine.
    { name: 'one xxhash32 alone / runInlineExperiment', set, ratio: rate('bucketry xxhash32', set) / rate('growthbook runInlineExperiment', set) },
  );
}
for (const set of ['mixed', 'user', 'uuid']) {
  ratios.push({ name: 'xxhash32 / xxhashjs', set, ratio: rate('bucketry xxhash32', set) / rate('xxhashjs h32', set) });
}
ratios.push({ name: 'interleave 20+20 into 10 / assignVariant', set: 'user', ratio: rate('bucketry interleave 20+20 into 10', 'user') / rate('bucketry assignVariant, beside interleave', 'user') });
const ratioOf = (name, set) => ratios.find((r) => r.name === name && r.set === set).ratio;

const targets = [];
for (const set of ['user', 'uuid']) {
  const opsPerSecond = rate('bucketry assignVariant', set);
  targets.push({ target: 'assignVariant >= 10,000,000 ops/s', set, measured: opsPerSecond, pass: opsPerSecond >= 10_000_000 });
  const ratio = ratioOf('assignVariant / runInlineExperiment', set);
  targets.push({ target: 'assignVariant >= 50x runInlineExperiment', set, measured: ratio, pass: ratio >= 50 });
}
const hashRatio = ratioOf('xxhash32 / xxhashjs', 'mixed');
targets.push({ target: 'xxhash32 >= 20x xxhashjs (10-40 byte ids)', set: 'mixed', measured: hashRatio, pass: hashRatio >= 20 });

const BUNDLE_RATIOS = [
  ['bucketry: assignVariant + defineExperiment', 'growthbook: GrowthBookClient'],
  ['bucketry: whole core', 'growthbook: whole package'],
];

report();
writeResults();

/** Runs each group in its own process (same CPU pinning, same environment) and puts the results back in case order. */
function measureGroupsApart() {
  const results = [];
  let sink = 0;
  for (const group of [...new Set(cases.map((c) => c.group))]) {
    const child = spawnSync(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url)], {
      env: { ...process.env, BENCH_GROUP: group },
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
      maxBuffer: 1 << 20,
    });
    if (child.status !== 0) {
      console.error(`bench: measuring "${group}" failed (exit ${child.status ?? child.signal})`);
      process.exit(1);
    }
    const measured = JSON.parse(child.stdout);
    sink ^= measured.sink;
    results.push(...measured.results);
  }
  // Children report in the order of their group's cases, and groups are contiguous in `cases`.
  results.forEach((r, i) => {
    if (r.name !== cases[i].name) throw new Error(`bench: result ${i} is ${r.name}, expected ${cases[i].name}`);
  });
  return { results, sink };
}

/** Both SDKs must actually assign (about 10% `list`), and both hashes must agree, or the timings mean nothing. */
function checkSameAnswers() {
  const problems = [];
  const expectTenPercent = (label, listCount, total) => {
    // Binomial(1000, 0.1) has sd 9.5: 60–140 is over 4 sd either side.
    if (listCount < 0.06 * total || listCount > 0.14 * total) problems.push(`${label}: ${listCount}/${total} got list, expected about 10%`);
  };
  for (const set of ['user', 'uuid']) {
    const ids = ID_SETS[set];
    expectTenPercent(`bucketry ${set}`, ids.filter((id) => assignVariant(ours, id).variant === 'list').length, ids.length);
    const results = CONTEXTS[set].map((context) => growthbook.runInlineExperiment(theirs, context));
    if (!results.every((r) => r.inExperiment && r.hashUsed)) problems.push(`growthbook ${set}: not every unit was hashed into the experiment`);
    expectTenPercent(`growthbook runInlineExperiment ${set}`, results.filter((r) => r.value === 'list').length, ids.length);
    expectTenPercent(`growthbook hash+chooseVariation ${set}`, ids.filter((id) => theirBareVariation(id) === 1).length, ids.length);
    if (!results.every((r, i) => r.variationId === theirBareVariation(ids[i]))) problems.push(`growthbook ${set}: bare hash path disagrees with runInlineExperiment`);
  }
  for (const [set, ids] of Object.entries(ID_SETS)) {
    for (const seed of [0, SEED]) {
      const mismatch = ids.find((id) => xxhash32(id, seed) !== XXH.h32(id, seed).toNumber());
      if (mismatch !== undefined) problems.push(`xxhash32(${JSON.stringify(mismatch)}, ${seed}) differs from xxhashjs`);
    }
  }
  if (problems.length > 0) {
    console.error(`bench: the compared functions do not compute the same thing:\n  ${problems.join('\n  ')}`);
    process.exit(1);
  }
}

function report() {
  const millions = (n) => `${(n / 1e6).toFixed(2)}M`;
  const bytes = (n) => `${n.toLocaleString('en-US')} B`;
  const setLabel = Object.fromEntries(Object.entries(ID_SETS).map(([name, ids]) => [name, `${name} (${byteRange(ids).join('-')} B)`]));
  const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
  console.log(`@bucketry/core bench: node ${process.version}, ${cpu} x${os.cpus().length}, ` +
    `${process.env.BENCH_PINNED ? `pinned to CPU ${process.env.BENCH_PINNED}` : 'not pinned'}, single thread, NODE_ENV=${process.env.NODE_ENV}`);
  console.log(`ids: 1,000 per set, cycled; ${Object.values(setLabel).join(', ')}; checked: same split (~10% list) and same hashes\n`);

  console.log('Throughput, ops/s (median of 9 samples; min-max)');
  for (const [i, c] of cases.entries()) {
    const r = results[i];
    console.log(`  ${c.name.padEnd(34)} ${setLabel[c.set].padEnd(20)} ${millions(r.opsPerSecond).padStart(9)}   (${millions(r.minOpsPerSecond)}-${millions(r.maxOpsPerSecond)})`);
  }
  console.log('\nRatios (ours / theirs, from the medians)');
  for (const r of ratios) console.log(`  ${r.name.padEnd(38)} ${setLabel[r.set].padEnd(20)} ${(r.ratio < 1 ? r.ratio.toPrecision(2) : r.ratio.toFixed(1)).padStart(7)}x`);
  console.log('\nTargets');
  for (const t of targets) {
    const measured = t.target.includes('ops/s') ? `${millions(t.measured)} ops/s` : `${t.measured.toFixed(1)}x`;
    console.log(`  ${t.pass ? 'PASS' : 'FAIL'}  ${t.target.padEnd(44)} ${setLabel[t.set].padEnd(20)} ${measured}`);
  }
  console.log('\nBundle sizes (esbuild bundle + minify + tree-shake, ESM; gzip -9)');
  for (const [name, size] of Object.entries(bundles)) {
    console.log(`  ${name.padEnd(44)} ${bytes(size.minified).padStart(9)} min  ${bytes(size.gzipped).padStart(9)} gz`);
  }
  for (const [ourName, theirName] of BUNDLE_RATIOS) {
    console.log(`  ${`${ourName} / ${theirName}`.padEnd(78)} ${(bundles[ourName].gzipped / bundles[theirName].gzipped).toFixed(2)} of gz`);
  }
  console.log(`\n${targets.every((t) => t.pass) ? 'all targets met' : 'some targets missed'}; measured in ${seconds.toFixed(1)} s; sink ${sink}`);
}

function writeResults() {
  const dir = fileURLToPath(new URL('.results/', import.meta.url));
  mkdirSync(dir, { recursive: true });
  const json = {
    date: new Date().toISOString(),
    node: process.version,
    cpu: os.cpus()[0]?.model,
    cpus: os.cpus().length,
    pinnedCpu: process.env.BENCH_PINNED ?? null,
    nodeEnv: process.env.NODE_ENV,
    idSets: Object.fromEntries(Object.entries(ID_SETS).map(([name, ids]) => [name, { count: ids.length, bytes: byteRange(ids) }])),
    throughput: cases.map((c, i) => ({ name: c.name, set: c.set, ...results[i] })),
    ratios,
    targets,
    bundles,
    bundleRatios: BUNDLE_RATIOS.map(([ourName, theirName]) => ({ ours: ourName, theirs: theirName, gzipped: bundles[ourName].gzipped / bundles[theirName].gzipped })),
    seconds,
    sink,
  };
  writeFileSync(`${dir}latest.json`, `${JSON.stringify(json, null, 2)}\n`);
}
