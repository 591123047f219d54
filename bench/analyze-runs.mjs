// The steps the analyzer's benches share (analyze-throughput, analyze-segments-cuped, warehouse):
// the --size flag, a Segment-style export of about that size by `bucketry simulate`, and one
// analysis in a fresh Node process, timed inside it.
import { spawnSync } from 'node:child_process';
import { rmSync, statSync } from 'node:fs';

const SIZE_UNITS = { KB: 1e3, MB: 1e6, GB: 1e9 };
const PILOT_USERS = 2000;

/** `200MB`, `1 GB`, `500kb` → bytes; `undefined` for anything else. */
export function parseSize(text) {
  const match = /^(\d+(?:\.\d+)?)\s*(KB|MB|GB)$/i.exec(text);
  return match ? Number(match[1]) * SIZE_UNITS[match[2].toUpperCase()] : undefined;
}

/**
 * `bucketry simulate` by the bin `cli` (a path) at rollout 10 and seed 1, with `args` (--users
 * and the rest), into `file` (gzip when its name ends in .gz). The bench stops if it fails.
 */
export function simulate(cli, file, args) {
  const argv = [cli, 'simulate', '--rollout', 10, '--seed', 1, ...args, '--out', file].map(String);
  if (spawnSync(process.execPath, argv, { stdio: ['ignore', 'inherit', 'inherit'] }).status !== 0) process.exit(1);
}

/** The users an export of about `targetBytes` takes at `args`, from a pilot of 2,000 users written to `pilot` and removed. */
export function usersForSize(cli, targetBytes, args, pilot) {
  simulate(cli, pilot, ['--users', PILOT_USERS, ...args]);
  const pilotBytes = statSync(pilot).size;
  rmSync(pilot, { force: true });
  return Math.max(1000, Math.round((targetBytes / pilotBytes) * PILOT_USERS));
}

/** Days to spread `users` over: about 50,000 arrivals a day, as a busy service would see. */
export const daysFor = (users) => Math.max(2, Math.ceil(users / 50_000));

/**
 * Analyses `file` in a fresh Node process, so its peak RSS is the analysis alone, through a build's
 * public API (`index`: the URL of its dist/index.js): the smoke-10 policy, the metric
 * session_started_from_tree, then `options` (analyzeFile's, as JSON). Resolves with the wall and
 * CPU seconds (user + system, every thread), peak RSS, and what the report says of the input.
 */
export function analyseInFreshProcess(index, file, options) {
  const script = `
    import { analyzeFile, formatJson, PRESETS } from ${JSON.stringify(index)};
    const preset = PRESETS['smoke-10'];
    const started = performance.now();
    const cpuBefore = process.cpuUsage();
    const report = await analyzeFile(${JSON.stringify(file)}, {
      experiment: preset.experiment, variants: preset.variants, weights: preset.weights, guardrails: preset.guardrails,
      metrics: ['session_started_from_tree'], ...${JSON.stringify(options)},
    });
    formatJson(report);
    const seconds = (performance.now() - started) / 1000;
    const cpu = process.cpuUsage(cpuBefore);
    // segments and cuped: absent from a build older than them (a --baseline).
    console.log(JSON.stringify({ seconds, cpuSeconds: (cpu.user + cpu.system) / 1e6, maxRssKB: process.resourceUsage().maxRSS,
      lines: report.input.lines, events: report.input.events, bad: report.input.badLines.count, units: report.input.distinctUnits, decision: report.decision,
      slices: report.segments?.reduce((n, s) => n + s.slices.length, 0) ?? 0, cuped: report.cuped?.metrics.length ?? 0 }));
  `;
  const child = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', maxBuffer: 1 << 20 });
  if (child.status !== 0) {
    console.error(child.stderr);
    process.exit(1);
  }
  return JSON.parse(child.stdout.trim().split('\n').at(-1));
}
