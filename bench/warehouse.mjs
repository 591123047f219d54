// The streaming engine against DuckDB (`bucketry analyze --engine duckdb`) on the same export as
// JSON lines, gzip JSON lines and Parquet (written by `bucketry convert`).
//
//   pnpm --filter @bucketry/analyze build && node bench/warehouse.mjs [--size 200MB] [--runs 1] [--keep-dir <dir>]
//
// Generates a Segment-style export of about --size with `bucketry simulate` (noise 2: about 60% of
// the lines are events the analysis reads) into os.tmpdir(), gzips it the same way (simulate to a
// .gz name, same seed), converts it to Parquet, then analyses each input with each engine --runs
// times, each run a fresh process timed by /usr/bin/time: events/s on the wall clock, CPU seconds
// per million lines (user + system, every thread: DuckDB's threads count too) and peak RSS. The
// summary gives each figure's ratio to the baseline, the streaming engine on JSON lines, and the
// target: DuckDB on Parquet >= 10x its events/s. Files are deleted unless --keep-dir is given.
// Not part of the test suite: timings depend on the machine.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { parseSize, simulate, usersForSize } from './analyze-runs.mjs';
import { median } from './harness.mjs';

const { values } = parseArgs({ options: { size: { type: 'string', default: '200MB' }, runs: { type: 'string', default: '1' }, 'keep-dir': { type: 'string' } } });
const fail = (message) => {
  console.error(`bench/warehouse: ${message}`);
  process.exit(2);
};
const targetBytes = parseSize(values.size);
if (targetBytes === undefined) fail(`--size "${values.size}": must be like 200MB or 1GB`);
const runs = Number(values.runs);
if (!Number.isInteger(runs) || runs < 1) fail(`--runs "${values.runs}": must be a whole number >= 1`);
const CLI = fileURLToPath(new URL('../packages/analyze/dist/cli.js', import.meta.url));
if (!existsSync(CLI)) fail('packages/analyze/dist/cli.js is missing: run pnpm --filter @bucketry/analyze build');
if (!existsSync('/usr/bin/time')) fail('needs /usr/bin/time (GNU time) for CPU time and peak RSS of each run');

const dir = values['keep-dir'] ?? mkdtempSync(join(tmpdir(), 'bucketry-bench-warehouse-'));
mkdirSync(dir, { recursive: true });
const NOISE = ['--noise', 2];
const users = usersForSize(CLI, targetBytes, NOISE, join(dir, 'pilot.jsonl'));
const jsonl = join(dir, 'export.jsonl');
const gzip = join(dir, 'export.jsonl.gz');
const parquet = join(dir, 'export.parquet');
if (!existsSync(jsonl)) simulate(CLI, jsonl, ['--users', users, ...NOISE]);
if (!existsSync(gzip)) simulate(CLI, gzip, ['--users', users, ...NOISE]);
if (!existsSync(parquet)) {
  const { status } = spawnSync(process.execPath, [CLI, 'convert', jsonl, parquet], { stdio: ['ignore', 'ignore', 'inherit'] });
  if (status !== 0) fail(`bucketry convert ${jsonl} ${parquet} exited ${status}`);
}
const mb = (file) => (statSync(file).size / 1e6).toFixed(0);
console.log(`export: ${users} users; ${mb(jsonl)} MB JSON lines, ${mb(gzip)} MB gzip, ${mb(parquet)} MB Parquet (in ${dir})`);

const FLAGS = ['--policy', 'smoke-10', '--experiment', 'skill_tree_layout', '--expected-variant', 'tree', '--expected-variant', 'list', '--metric', 'skill_unlocked', '--format', 'json'];
const SETTINGS = [
  { engine: 'streaming', input: jsonl, label: 'streaming, JSON lines' },
  { engine: 'streaming', input: gzip, label: 'streaming, gzip' },
  { engine: 'duckdb', input: jsonl, label: 'duckdb, JSON lines' },
  { engine: 'duckdb', input: gzip, label: 'duckdb, gzip' },
  { engine: 'duckdb', input: parquet, label: 'duckdb, Parquet' },
];

function measure({ engine, input }) {
  const child = spawnSync('/usr/bin/time', ['-f', 'TIME %e %U %S %M', process.execPath, CLI, 'analyze', input, '--engine', engine, ...FLAGS], { encoding: 'utf8', maxBuffer: 1 << 26 });
  const timing = /TIME ([\d.]+) ([\d.]+) ([\d.]+) (\d+)/.exec(child.stderr);
  if (!timing || (child.status !== 0 && child.status !== 1)) fail(`${engine} on ${input} failed (exit ${child.status}): ${child.stderr.slice(-500)}`);
  const report = JSON.parse(child.stdout);
  const [seconds, user, system, maxKB] = timing.slice(1).map(Number);
  return { seconds, cpuSeconds: user + system, lines: report.input.lines, peakMB: maxKB / 1024, decision: report.decision, units: report.input.distinctUnits };
}

const results = SETTINGS.map(() => []);
for (let run = 0; run < runs; run++) {
  // Settings take turns, so a busy neighbour slows them alike.
  SETTINGS.forEach((setting, s) => {
    const r = measure(setting);
    results[s].push(r);
    console.log(`${setting.label.padEnd(24)} run ${run + 1}: ${(r.lines / r.seconds / 1e6).toFixed(3)} M lines/s, ${r.seconds.toFixed(2)} s, CPU ${r.cpuSeconds.toFixed(2)} s, peak ${r.peakMB.toFixed(0)} MB, ${r.units} units, ${r.decision}`);
  });
}

const summary = results.map((rs) => {
  const lines = rs[0].lines;
  return { lines, eventsPerSecond: median(rs.map((r) => lines / r.seconds)), cpuPerMillion: median(rs.map((r) => (r.cpuSeconds / lines) * 1e6)), peakMB: median(rs.map((r) => r.peakMB)) };
});
const base = summary[0];
console.log(`\nmedians of ${runs} run(s); ratios to the baseline (streaming on JSON lines); lines per setting: ${summary.map((s) => s.lines).join(', ')}`);
console.log(`${'setting'.padEnd(24)} ${'lines/s'.padStart(12)} ${'ratio'.padStart(7)} ${'CPU s/M'.padStart(9)} ${'ratio'.padStart(7)} ${'peak MB'.padStart(8)} ${'ratio'.padStart(7)}`);
SETTINGS.forEach((setting, s) => {
  const x = summary[s];
  console.log(
    `${setting.label.padEnd(24)} ${(x.eventsPerSecond / 1e6).toFixed(3).padStart(10)} M ${(x.eventsPerSecond / base.eventsPerSecond).toFixed(2).padStart(7)} ${x.cpuPerMillion.toFixed(2).padStart(9)} ${(x.cpuPerMillion / base.cpuPerMillion).toFixed(2).padStart(7)} ${x.peakMB.toFixed(0).padStart(8)} ${(x.peakMB / base.peakMB).toFixed(2).padStart(7)}`,
  );
});
const parquetRatio = summary[4].eventsPerSecond / base.eventsPerSecond;
console.log(`\ntarget DuckDB on Parquet >= 10x streaming on JSON lines: ${parquetRatio.toFixed(2)}x, ${parquetRatio >= 10 ? 'met' : 'not met'}`);
if (values['keep-dir'] === undefined) rmSync(dir, { recursive: true, force: true });
