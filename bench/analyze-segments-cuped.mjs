// What `--segment` and `--cuped` cost `bucketry analyze`: the same export analysed with neither,
// with a segment property, with CUPED, and with both, side by side as ratios to neither.
//
//   pnpm --filter @bucketry/analyze build && node bench/analyze-segments-cuped.mjs [--size 200MB] [--runs 3] [--input <file>]
//
// Generates a Segment-style export of about --size with `bucketry simulate` (page views as noise,
// the smoke-10 policy's metrics) into os.tmpdir(), unless --input names one, and analyses it
// --runs times per setting, each run in a fresh Node process on one thread, the settings taking
// turns so a busy neighbour slows them alike. The segment is the exposures' `reason`; CUPED's
// window is 14 days. Prints per run events/s, CPU time per event and peak RSS, then per setting
// the medians and their ratio to the run with neither. Not part of the test suite.
import { rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { analyseInFreshProcess, daysFor, parseSize, simulate, usersForSize } from './analyze-runs.mjs';
import { median } from './harness.mjs';

const { values } = parseArgs({ options: { size: { type: 'string', default: '200MB' }, runs: { type: 'string', default: '3' }, input: { type: 'string' } } });
const targetBytes = parseSize(values.size);
const runs = Number(values.runs);
if (targetBytes === undefined || !(Number.isInteger(runs) && runs >= 1)) {
  console.error(`--size "${values.size}" must be like 200MB or 1GB, --runs "${values.runs}" a whole number >= 1`);
  process.exit(2);
}
const packageDir = new URL('../packages/analyze/', import.meta.url);
const cli = fileURLToPath(new URL('dist/cli.js', packageDir));
const index = new URL('dist/index.js', packageDir).href;
const NOISE = ['--noise', 2];

const SETTINGS = [
  { name: 'neither', options: {} },
  { name: '--segment reason', options: { segments: ['reason'] } },
  { name: '--cuped 14d', options: { cupedWindowMs: 14 * 86_400_000 } },
  { name: 'both', options: { segments: ['reason'], cupedWindowMs: 14 * 86_400_000 } },
];

const file = values.input ?? join(tmpdir(), `bucketry-bench-segments-${process.pid}.jsonl`);
try {
  if (values.input === undefined) {
    const users = usersForSize(cli, targetBytes, NOISE, `${file}.pilot`);
    simulate(cli, file, ['--users', users, ...NOISE, '--days', daysFor(users)]);
  }
  console.log(`export: ${(statSync(file).size / 1e6).toFixed(0)} MB`);
  const results = SETTINGS.map(() => []);
  for (let run = 1; run <= runs; run++) {
    SETTINGS.forEach((setting, i) => {
      const r = analyseInFreshProcess(index, file, { threads: 0, ...setting.options });
      results[i].push(r);
      console.log(`${setting.name.padEnd(17)} run ${run}: ${(r.events / r.seconds / 1e6).toFixed(2)} M events/s, ${((r.cpuSeconds / r.events) * 1e6).toFixed(3)} µs CPU/event, peak RSS ${(r.maxRssKB / 1024).toFixed(0)} MB (${r.slices} slices, ${r.cuped} CUPED metrics)`);
    });
  }
  const medians = results.map((rs) => ({
    rate: median(rs.map((r) => r.events / r.seconds)),
    cpu: median(rs.map((r) => r.cpuSeconds / r.events)),
    rss: median(rs.map((r) => r.maxRssKB)),
  }));
  console.log('\nmedians, and ratio to neither (events/s higher is better; CPU/event and RSS lower)');
  SETTINGS.forEach((setting, i) => {
    const m = medians[i];
    const base = medians[0];
    console.log(
      `${setting.name.padEnd(17)} ${(m.rate / 1e6).toFixed(2)} M events/s (×${(m.rate / base.rate).toFixed(3)})  ${(m.cpu * 1e6).toFixed(3)} µs CPU/event (×${(m.cpu / base.cpu).toFixed(3)})  peak RSS ${(m.rss / 1024).toFixed(0)} MB (×${(m.rss / base.rss).toFixed(3)})`,
    );
  });
} finally {
  if (values.input === undefined) rmSync(file, { force: true });
}
