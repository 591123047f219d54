// Throughput and memory of `bucketry analyze` on a large export.
//
//   pnpm build && node bench/analyze-throughput.mjs [--size 1GB] [--format segment|amplitude] [--noise 2] [--strict]
//
// Generates a Segment-style (or Amplitude-style) export of about --size with `bucketry simulate`'s
// generator into os.tmpdir(), analyses it in a fresh Node process with the smoke-10 policy (so
// metrics, guardrails and durations are all exercised), reports events/s (wall clock, and per CPU
// second) and the analysing process's peak RSS, and deletes the file. --noise is the mean number of
// unrelated events (page views) per session: the default 2 makes about 60% of the lines events the
// analysis must parse, a hard case; real exports carry many more unrelated events. Targets: >= 1,000,000 events/s, < 256 MB peak RSS.
// Not part of the test suite: timings depend on the machine.
import { spawnSync } from 'node:child_process';
import { createWriteStream, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: {
    size: { type: 'string', default: '1GB' },
    format: { type: 'string', default: 'segment' },
    noise: { type: 'string', default: '2' },
    strict: { type: 'boolean', default: false },
  },
});

const SIZE_UNITS = { KB: 1e3, MB: 1e6, GB: 1e9 };
const sizeMatch = /^(\d+(?:\.\d+)?)\s*(KB|MB|GB)$/i.exec(values.size);
if (!sizeMatch) {
  console.error(`--size "${values.size}": must be a size like 200MB or 1GB`);
  process.exit(2);
}
const targetBytes = Number(sizeMatch[1]) * SIZE_UNITS[sizeMatch[2].toUpperCase()];
const noise = Number(values.noise);
if (!(noise >= 0)) {
  console.error(`--noise "${values.noise}": must be a number >= 0 (unrelated events per session)`);
  process.exit(2);
}
if (values.format !== 'segment' && values.format !== 'amplitude') {
  console.error(`--format "${values.format}": must be segment or amplitude`);
  process.exit(2);
}

const dist = new URL('../packages/analyze/dist/index.js', import.meta.url);
const { simulateExport } = await import(dist.href).catch(() => {
  console.error('packages/analyze/dist is missing: run `pnpm build` first');
  process.exit(2);
});

function* chunks(lines) {
  let buffer = '';
  for (const line of lines) {
    buffer += line + '\n';
    if (buffer.length >= 1 << 16) {
      yield buffer;
      buffer = '';
    }
  }
  if (buffer) yield buffer;
}

// Size the simulation from a pilot run: bytes per user at these settings.
const pilotUsers = 2000;
let pilotBytes = 0;
for (const line of simulateExport({ users: pilotUsers, rollout: 10, seed: 1, format: values.format, noise })) pilotBytes += line.length + 1;
const users = Math.max(1000, Math.round((targetBytes / pilotBytes) * pilotUsers));
// Spread arrivals so about 50,000 users arrive per day, as a busy service would see.
const days = Math.max(2, Math.ceil(users / 50_000));

const file = join(tmpdir(), `bucketry-bench-${process.pid}.jsonl`);
try {
  const started = performance.now();
  await pipeline(
    Readable.from(chunks(simulateExport({ users, rollout: 10, seed: 1, days, format: values.format, noise, badLines: 100 }))),
    createWriteStream(file),
  );
  const bytes = statSync(file).size;
  console.log(`generated ${(bytes / 1e6).toFixed(0)} MB (${users.toLocaleString('en-US')} users over ${days} days, ${values.format}, noise ${noise}) in ${((performance.now() - started) / 1000).toFixed(1)} s: ${file}`);

  // Analyse in a fresh process so its peak RSS is the analysis alone.
  const script = `
    import { analyzeFile, formatJson, PRESETS } from ${JSON.stringify(dist.href)};
    const preset = PRESETS['smoke-10'];
    const started = performance.now();
    const cpuBefore = process.cpuUsage();
    const report = await analyzeFile(${JSON.stringify(file)}, {
      experiment: preset.experiment, variants: preset.variants, weights: preset.weights, guardrails: preset.guardrails,
      metrics: ['session_started_from_tree'], strict: ${values.strict},
    });
    formatJson(report);
    const seconds = (performance.now() - started) / 1000;
    const cpu = process.cpuUsage(cpuBefore);
    console.log(JSON.stringify({ seconds, cpuSeconds: (cpu.user + cpu.system) / 1e6, lines: report.input.lines, parsed: report.input.events, bad: report.input.badLines.count,
      units: report.input.distinctUnits, decision: report.decision, maxRssKB: process.resourceUsage().maxRSS }));
  `;
  const child = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', maxBuffer: 1 << 20 });
  if (child.status !== 0) {
    console.error(child.stderr);
    process.exit(1);
  }
  const result = JSON.parse(child.stdout.trim().split('\n').at(-1));
  const eventsPerSecond = result.lines / result.seconds;
  const peakMB = result.maxRssKB / 1024;
  console.log(
    `analysed ${result.lines.toLocaleString('en-US')} lines (${result.parsed.toLocaleString('en-US')} parsed, ${result.bad} bad, ${result.units.toLocaleString('en-US')} distinct units) in ${result.seconds.toFixed(2)} s`,
  );
  console.log(`  ${Math.round(eventsPerSecond).toLocaleString('en-US')} events/s, ${(bytes / 1e6 / result.seconds).toFixed(0)} MB/s wall clock   (target >= 1,000,000 events/s: ${eventsPerSecond >= 1e6 ? 'met' : 'NOT met'})`);
  // On a shared machine the wall clock includes waiting for a core; CPU time does not.
  console.log(`  ${Math.round(result.lines / result.cpuSeconds).toLocaleString('en-US')} events per CPU second (${result.cpuSeconds.toFixed(2)} s of CPU, GC threads included)`);
  console.log(`  peak RSS ${peakMB.toFixed(0)} MB   (target < 256 MB: ${peakMB < 256 ? 'met' : 'NOT met'})`);
  console.log(`  decision ${result.decision}`);
} finally {
  rmSync(file, { force: true });
}
