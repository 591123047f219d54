// Throughput and memory of `bucketry analyze` on a large export.
//
//   pnpm build && node bench/analyze-throughput.mjs [--size 1GB] [--format segment|amplitude] [--noise 2]
//     [--gzip] [--strict] [--threads 0,2] [--runs 3] [--keep <file>] [--input <file>] [--baseline <dir>]
//
// Generates a Segment-style (or Amplitude-style) export of about --size with `bucketry simulate`
// into os.tmpdir(), analyses it with the smoke-10 policy plus a success metric (so
// metrics, guardrails and durations are all exercised) --runs times for each --threads setting,
// each run in a fresh Node process, settings taking turns so a busy neighbour slows them alike,
// and deletes the file. --noise is the mean number of unrelated events (page views) per session:
// the default 2 makes about 60% of the lines events the analysis must parse, a hard case; real
// exports carry many more unrelated events. --threads lists the worker-thread counts to compare
// (0: all on one thread; the analyzer's default for a file this large is 2). --keep <file> writes
// the export there and keeps it; --input <file> analyses an existing export instead. --baseline <dir>
// runs another build of the package side by side (its folder, holding dist/, e.g. packages/analyze of a
// `git worktree` at an older commit, built): both builds analyse the same file, taking turns, and
// the summary adds each figure's ratio to the baseline's.
//
// Each run prints events/s on the wall clock, CPU time per event (user + system of the whole
// process: every thread, GC and compiler threads included; steadier than the wall clock on a
// shared machine) and peak RSS; the summary gives, per setting, the medians side by side and
// their ratio to the targets: >= 1,000,000 events/s and < 256 MB peak RSS. Not part of the test
// suite: timings depend on the machine.
import { existsSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { analyseInFreshProcess, daysFor, parseSize, simulate, usersForSize } from './analyze-runs.mjs';
import { median } from './harness.mjs';

const TARGET_EVENTS_PER_SECOND = 1_000_000;
const TARGET_PEAK_MB = 256;

const { values } = parseArgs({
  options: {
    size: { type: 'string', default: '1GB' },
    format: { type: 'string', default: 'segment' },
    noise: { type: 'string', default: '2' },
    gzip: { type: 'boolean', default: false },
    strict: { type: 'boolean', default: false },
    runs: { type: 'string', default: '3' },
    threads: { type: 'string', default: '0,2' },
    keep: { type: 'string' },
    input: { type: 'string' },
    baseline: { type: 'string' },
  },
});

const fail = (message) => {
  console.error(message);
  process.exit(2);
};
const targetBytes = parseSize(values.size);
if (targetBytes === undefined) fail(`--size "${values.size}": must be a size like 200MB or 1GB`);
const noise = Number(values.noise);
if (!(noise >= 0)) fail(`--noise "${values.noise}": must be a number >= 0 (unrelated events per session)`);
if (values.format !== 'segment' && values.format !== 'amplitude') fail(`--format "${values.format}": must be segment or amplitude`);
const runs = Number(values.runs);
if (!Number.isInteger(runs) || runs < 1) fail(`--runs "${values.runs}": must be a whole number >= 1`);
if (values.input !== undefined && values.keep !== undefined) fail('--input and --keep: give one or the other');
// `bucketry simulate` writes gzip when the file name ends in .gz.
if (values.keep !== undefined && values.keep.endsWith('.gz') !== values.gzip) fail(`--keep "${values.keep}": must end in .gz with --gzip, and only then`);
const threadCounts = values.threads.split(',').map(Number);
if (threadCounts.some((n) => !Number.isInteger(n) || n < 0 || n > 16)) fail(`--threads "${values.threads}": must be comma-separated whole numbers from 0 to 16`);

// The builds compared: this checkout's, and --baseline's when given. Each through its public API
// (analyzeFile, formatJson, PRESETS) and its `bucketry` bin only, which every build has.
const builds = [{ name: 'current', dir: new URL('../packages/analyze/', import.meta.url) }];
if (values.baseline !== undefined) builds.push({ name: 'baseline', dir: pathToFileURL(`${resolve(values.baseline)}/`) });
for (const build of builds) {
  build.index = new URL('dist/index.js', build.dir);
  build.cli = new URL('dist/cli.js', build.dir);
  if (!existsSync(build.index) || !existsSync(build.cli)) fail(`${fileURLToPath(build.dir)}dist is missing: run \`pnpm build\` there first`);
}

async function generate(file) {
  // The current build's bin, at the --format and --noise asked.
  const cli = fileURLToPath(builds[0].cli);
  const settings = ['--format', values.format, '--noise', noise];
  const users = usersForSize(cli, targetBytes, settings, join(tmpdir(), `bucketry-bench-pilot-${process.pid}.jsonl`));
  const days = daysFor(users);
  const started = performance.now();
  simulate(cli, file, ['--users', users, ...settings, '--days', days, '--bad-lines', 100]);
  const seconds = (performance.now() - started) / 1000;
  console.log(
    `generated ${(statSync(file).size / 1e6).toFixed(0)} MB${values.gzip ? ' gzip' : ''} (${users.toLocaleString('en-US')} users over ${days} days, ${values.format}, noise ${noise}) in ${seconds.toFixed(1)} s: ${file}`,
  );
}

const millions = (n) => `${(n / 1e6).toFixed(2)} M`;
const pad = (text, width) => String(text).padStart(width);

const file = values.input ?? values.keep ?? join(tmpdir(), `bucketry-bench-${process.pid}.jsonl${values.gzip ? '.gz' : ''}`);
try {
  if (values.input === undefined) await generate(file);
  const bytes = statSync(file).size;
  // One setting per build and thread count; settings take turns within each run.
  const settings = builds.flatMap((build) => threadCounts.map((threads) => ({ build, threads, results: [] })));
  const label = ({ build, threads }) => (builds.length > 1 ? `${build.name} ${threads}` : String(threads));
  const width = Math.max(7, ...settings.map((setting) => label(setting).length));
  console.log(`${pad('threads', width)} ${pad('run', 4)} ${pad('events/s', 10)} ${pad('µs CPU/event', 13)} ${pad('events/CPU-s', 13)} ${pad('peak RSS', 9)} ${pad('wall s', 7)} ${pad('CPU s', 6)}`);
  for (let run = 1; run <= runs; run++) {
    for (const setting of settings) {
      const r = analyseInFreshProcess(setting.build.index.href, file, { strict: values.strict, threads: setting.threads });
      r.eventsPerSecond = r.lines / r.seconds;
      r.cpuPerEvent = r.cpuSeconds / r.lines;
      r.peakMB = r.maxRssKB / 1024;
      setting.results.push(r);
      console.log(
        `${pad(label(setting), width)} ${pad(run, 4)} ${pad(millions(r.eventsPerSecond), 10)} ${pad((r.cpuPerEvent * 1e6).toFixed(3), 13)} ${pad(millions(1 / r.cpuPerEvent), 13)} ${pad(r.peakMB.toFixed(0) + ' MB', 9)} ${pad(r.seconds.toFixed(2), 7)} ${pad(r.cpuSeconds.toFixed(2), 6)}`,
      );
    }
  }
  // Every setting reads the same lines and units; a build's thread counts also agree on the decision
  // (builds may decide differently: the decision rules change between versions).
  const first = settings[0].results[0];
  for (const { build, results } of settings) {
    const firstOfBuild = settings.find((setting) => setting.build === build).results[0];
    if (results.some((r) => r.lines !== first.lines || r.events !== first.events || r.units !== first.units || r.decision !== firstOfBuild.decision)) {
      console.error('the settings disagree on the analysis: ' + JSON.stringify(results));
      process.exit(1);
    }
  }
  const decisions = builds.map((build) => `${builds.length > 1 ? `${build.name} ` : ''}${settings.find((setting) => setting.build === build).results[0].decision}`).join(', ');
  console.log(
    `\n${first.lines.toLocaleString('en-US')} lines (${first.events.toLocaleString('en-US')} parsed, ${first.bad} bad, ${first.units.toLocaleString('en-US')} distinct units), ${(bytes / 1e6).toFixed(0)} MB, decision ${decisions}, the same for every thread count`,
  );
  console.log(`medians of ${runs} runs; target >= 1.00 M events/s on the wall clock, peak RSS < 256 MB\n`);
  console.log(`${pad('threads', width)} ${pad('events/s', 10)} ${pad('x target', 9)} ${pad('µs CPU/event', 13)} ${pad('events/CPU-s', 13)} ${pad('peak RSS', 9)} ${pad('x ceiling', 10)}`);
  const met = (ok) => (ok ? 'met' : 'NOT met');
  const summary = (results) => ({
    eventsPerSecond: median(results.map((r) => r.eventsPerSecond)),
    cpuPerEvent: median(results.map((r) => r.cpuPerEvent)),
    peakMB: Math.max(...results.map((r) => r.peakMB)),
  });
  for (const setting of settings) {
    const { eventsPerSecond, cpuPerEvent, peakMB } = summary(setting.results);
    console.log(
      `${pad(label(setting), width)} ${pad(millions(eventsPerSecond), 10)} ${pad((eventsPerSecond / TARGET_EVENTS_PER_SECOND).toFixed(2), 9)} ${pad((cpuPerEvent * 1e6).toFixed(3), 13)} ${pad(millions(1 / cpuPerEvent), 13)} ${pad(peakMB.toFixed(0) + ' MB', 9)} ${pad((peakMB / TARGET_PEAK_MB).toFixed(2), 10)}   events/s ${met(eventsPerSecond >= TARGET_EVENTS_PER_SECOND)}, memory ${met(peakMB < TARGET_PEAK_MB)}`,
    );
  }
  if (builds.length > 1) {
    // Current over baseline: events/s above 1 is faster, CPU/event and peak RSS above 1 cost more.
    console.log(`\ncurrent / baseline (medians; peak RSS: the highest of the runs)\n`);
    console.log(`${pad('threads', 7)} ${pad('events/s', 9)} ${pad('CPU/event', 10)} ${pad('peak RSS', 9)}`);
    for (const threads of threadCounts) {
      const [current, baseline] = builds.map((build) => summary(settings.find((setting) => setting.build === build && setting.threads === threads).results));
      console.log(
        `${pad(threads, 7)} ${pad((current.eventsPerSecond / baseline.eventsPerSecond).toFixed(3), 9)} ${pad((current.cpuPerEvent / baseline.cpuPerEvent).toFixed(3), 10)} ${pad((current.peakMB / baseline.peakMB).toFixed(3), 9)}`,
      );
    }
  }
} finally {
  if (values.input === undefined && values.keep === undefined) rmSync(file, { force: true });
}
