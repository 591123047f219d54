#!/usr/bin/env node
// Guarded rollouts (issue #18), measured. Not a test: figures, printed beside their targets.
//
//   pnpm --filter @bucketry/guard... build && node scripts/ensure-services.mjs && node bench/guarded-rollout.mjs [--runs 200] [--size-mb 1024] [--reps 10]
//
// 1. A/A: the share of runs of 400 looks (every 10 minutes, 10,000 units a day) that roll back, at
//    α = 0.05, where both arms are alike; target ≤ α. Three cases: a 5% canary at 1% errors, a
//    50/50 split at 1% errors, and a 50/50 split at 6% errors against a 5% rollback limit (where a
//    fixed threshold would roll back every run and only the test against control stands between).
// 2. An injected regression: treatment errors 1% → 6% after a day at a 5% canary, 10,000 and
//    100,000 units a day; simulated time from the regression's start to the automatic rollback
//    (median, 95th percentile, runs never rolled back within 7 days).
// 3. From the rollback decision to every instance serving control: five live clients
//    (createStoreSource over the store, as an application runs it) on PostgreSQL and on Redis; the
//    monitor takes the look that rolls back; wall-clock from the store write's start until all five
//    have rollout 0. Target ≤ 1 s.
// 4. The monitor's cost per look on a large growing export (--size-mb, default 1 GB): the first
//    look reads it all; each later look, after 1 MB more, must read only the new megabyte.
import { appendFileSync, closeSync, mkdtempSync, openSync, rmSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createBucketry } from '@bucketry/core';
import { createRequire } from 'node:module';
import { dropSchema, deleteKeys, POSTGRES_URL, REDIS_URL, uniqueName } from '../test-support/scratch-stores.mjs';

// The built packages, as bench/live does: `pnpm --filter @bucketry/guard... build` first.
const built = (name) =>
  import(`../packages/${name}/dist/index.js`).catch((error) => {
    console.error(`packages/${name}/dist is missing or broken (${error.message}): run pnpm --filter @bucketry/guard... build first`);
    process.exit(1);
  });
const { createMonitor, openEventSource, parsePlan, simulateStage } = await built('guard');
const { createStoreSource, openStore, setRollout } = await built('live');
const requireFromLive = createRequire(new URL('../packages/live/package.json', import.meta.url));

const { values } = parseArgs({
  options: { runs: { type: 'string', default: '200' }, 'size-mb': { type: 'string', default: '1024' }, reps: { type: 'string', default: '10' }, only: { type: 'string' } },
});
const runs = Number(values.runs);
const sizeMb = Number(values['size-mb']);
const reps = Number(values.reps);
const only = values.only?.split(',');
const wanted = (part) => only === undefined || only.includes(part);

const DAY = 86_400_000;
const HOUR = 3_600_000;
const started = Date.now();
const progress = (text) => console.error(`[${((Date.now() - started) / 1000).toFixed(0).padStart(4)} s] ${text}`);
const quantile = (sorted, q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
const hours = (ms) => (ms === undefined ? '-' : `${(ms / HOUR).toFixed(1)} h`);

const planOf = (percent, guardrails = ['rate:checkout_error:2%:5%']) =>
  parsePlan({ experiment: 'checkout_v2', variants: ['old', 'new'], events: ['checkout_error'], guardrails, stages: [{ name: 'canary', percent, minDuration: '72h' }], interval: '10m', alpha: 0.05 });
const errors = (rate) => (random) => (random() < rate ? [{ name: 'checkout_error' }] : []);

// 1. A/A
if (wanted('aa')) {
  const { twoProportionZTest } = await import('../packages/stats/dist/index.js');
  console.log(`\n1. A/A: false rollbacks over 400 looks, α = 0.05, ${runs} runs each (target: at most α)`);
  console.log('   beside it, the same traffic judged at every look by a fixed-horizon z-test (treatment worse, z > 1.645): the baseline\n');
  console.log('case                                   monitor rolled back   share   share / α   fixed-horizon share   ratio');
  for (const [label, percent, rate] of [
    ['5% canary, 1% errors, limits 2% / 5%', 5, 0.01],
    ['50/50, 1% errors, limits 2% / 5%', 50, 0.01],
    ['50/50, 6% errors, limits 2% / 5%', 50, 0.06],
  ]) {
    const plan = planOf(percent);
    let rolledBack = 0;
    let naive = 0;
    for (let seed = 1; seed <= runs; seed++) {
      // The baseline on the very same units: its own running counts, judged at the end of each look (every 69 or so units).
      const x = [0, 0];
      const n = [0, 0];
      let seen = 0;
      let rejected = false;
      const behave = (arm, _t, random) => {
        const error = random() < rate;
        n[arm]++;
        if (error) x[arm]++;
        if (++seen % 69 === 0 && n[0] > 100 && n[1] > 100 && (twoProportionZTest(x[0], n[0], x[1], n[1])?.z ?? 0) > 1.645) rejected = true;
        return error ? [{ name: 'checkout_error' }] : [];
      };
      if (simulateStage({ plan, seed, looks: 400, unitsPerDay: 10_000, behave }).rollbackLook !== null) rolledBack++;
      if (rejected) naive++;
    }
    const share = rolledBack / runs;
    const naiveShare = naive / runs;
    console.log(
      `${label.padEnd(39)}${String(rolledBack).padStart(19)}   ${(share * 100).toFixed(1).padStart(4)}%   ${(share / 0.05).toFixed(2).padStart(9)}   ${(naiveShare * 100).toFixed(1).padStart(18)}%   ${(naiveShare === 0 ? '-' : (share / naiveShare).toFixed(2)).padStart(5)}`,
    );
    progress(`A/A ${label}`);
  }
}

// 2. Injected regression
if (wanted('regression')) {
  const regressionRuns = Math.max(20, Math.floor(runs / 2));
  console.log(`\n2. Treatment errors 1% → 6% after 24 h at a 5% canary (limits 2% / 5%): time to the automatic rollback, ${regressionRuns} runs\n`);
  console.log('units a day   median      p95       not rolled back in 7 days   rolled back before the regression');
  const plan = planOf(5);
  for (const unitsPerDay of [10_000, 100_000]) {
    const times = [];
    let never = 0;
    let early = 0;
    for (let seed = 1; seed <= regressionRuns; seed++) {
      const run = simulateStage({
        plan,
        seed,
        looks: 7 * 144,
        unitsPerDay,
        behave: (arm, t, random) => (random() < (arm === 1 && t >= DAY ? 0.06 : 0.01) ? [{ name: 'checkout_error' }] : []),
      });
      if (run.rollbackAfterMs === null) never++;
      else if (run.rollbackAfterMs <= DAY) early++;
      else times.push(run.rollbackAfterMs - DAY);
    }
    times.sort((a, b) => a - b);
    console.log(`${unitsPerDay.toLocaleString('en').padStart(11)}   ${hours(quantile(times, 0.5)).padStart(7)}   ${hours(quantile(times, 0.95)).padStart(7)}   ${String(never).padStart(25)}   ${String(early).padStart(33)}`);
    progress(`regression at ${unitsPerDay}/day`);
  }
}

const dir = mkdtempSync(join(tmpdir(), 'bench-guard-'));

// 3. Rollback decision → every instance serving control
async function propagation(kind) {
  const name = uniqueName('bench_guard').toLowerCase();
  const url = kind === 'postgres' ? `${POSTGRES_URL}?schema=${name}` : `${REDIS_URL}?prefix=${name}:`;
  const base = [{ key: 'checkout_v2', variants: ['old', 'new'], rollout: 0 }];
  const instances = [];
  const admin = openStore(url);
  const millis = [];
  try {
    for (let i = 0; i < 5; i++) {
      const bucketry = createBucketry({ experiments: base });
      const store = openStore(url);
      const source = createStoreSource(bucketry, store, { base, onError: () => {} });
      instances.push({ bucketry, source });
    }
    for (let rep = 0; rep < reps; rep++) {
      const events = join(dir, `${kind}-${rep}.jsonl`);
      writeFileSync(events, '');
      await setRollout(admin, 'checkout_v2', { percent: 5, actor: 'bench' });
      if (rep === 0) await Promise.all(instances.map((x) => x.source.start()));
      await waitUntil(() => instances.every((x) => x.bucketry.experiment('checkout_v2').rollout === 5), 10_000);
      let decidedAt;
      const timed = { ...admin, kind: admin.kind, read: () => admin.read(), history: (e) => admin.history(e), watch: (a, b) => admin.watch(a, b), close: async () => {} };
      timed.write = (experiment, change) => {
        if (change.rollout === 0) decidedAt = performance.now();
        return admin.write(experiment, change);
      };
      const plan = planOf(5);
      const monitor = createMonitor({ plan, store: timed, source: await openEventSource(events), statePath: join(dir, `${kind}-${rep}.state.json`), log: () => {} });
      await monitor.look();
      appendFileSync(events, regressionExport(40_000, rep));
      const decision = await monitor.look();
      if (decision.action !== 'rolled-back') throw new Error(`${kind} rep ${rep}: the look did not roll back (${decision.reason}: ${decision.message})`);
      await waitUntil(() => instances.every((x) => x.bucketry.experiment('checkout_v2').rollout === 0), 10_000);
      millis.push(performance.now() - decidedAt);
    }
  } finally {
    await Promise.all(instances.map((x) => x.source.close()));
    await admin.close();
    if (kind === 'postgres') await dropSchema(requireFromLive('pg'), name);
    else await deleteKeys(requireFromLive('ioredis').Redis, `${name}:`);
  }
  return millis.sort((a, b) => a - b);
}

async function waitUntil(condition, timeoutMs) {
  const deadline = performance.now() + timeoutMs;
  while (!condition()) {
    if (performance.now() > deadline) throw new Error(`not reached within ${timeoutMs} ms`);
    await new Promise((r) => setImmediate(r));
  }
}

/** Export lines: units exposed at a 5% canary, control erring 1%, treatment 6%; timed a minute ahead, within the stage the monitor starts. */
function regressionExport(units, seed) {
  const at = new Date(Date.now() + 60_000).toISOString();
  let state = seed + 1;
  const random = () => ((state = (Math.imul(state, 1_103_515_245) + 12_345) >>> 0) / 4_294_967_296);
  const out = [];
  for (let i = 0; i < units; i++) {
    const treated = random() < 0.05;
    const unit = `s${seed}-u${i}`;
    out.push(`{"event":"experiment_exposure","userId":"${unit}","timestamp":"${at}","properties":{"experiment":"checkout_v2","variant":"${treated ? 'new' : 'old'}"}}`);
    if (random() < (treated ? 0.06 : 0.01)) out.push(`{"event":"checkout_error","userId":"${unit}","timestamp":"${at}","properties":{}}`);
  }
  return `${out.join('\n')}\n`;
}

// 4. Cost per look on a large growing export
async function costPerLook() {
  const events = join(dir, 'large.jsonl');
  const chunk = regressionExport(20_000, 99).replaceAll('"new"', '"old"'); // all control: no rollback, the stage just runs
  const fd = openSync(events, 'w');
  for (let written = 0; written < sizeMb * 1_048_576; written += chunk.length) writeSync(fd, chunk);
  closeSync(fd);
  const plan = planOf(5);
  const store = openStore(`file:${join(dir, 'large-store.json')}`);
  const looks = [];
  const monitor = createMonitor({ plan, store, source: await openEventSource(events), statePath: join(dir, 'large.state.json'), log: () => {} });
  const megabyte = chunk.slice(0, chunk.lastIndexOf('\n', 1_048_576) + 1);
  for (let look = 0; look < 6; look++) {
    if (look > 0) appendFileSync(events, megabyte);
    const before = (await monitor.state()).counts.bytesRead;
    const start = performance.now();
    await monitor.look();
    const ms = performance.now() - start;
    const read = (await monitor.state()).counts.bytesRead - before;
    looks.push({ look: look + 1, size: statSync(events).size, read, ms });
  }
  await store.close();
  return looks;
}

try {
  if (wanted('propagation')) {
    console.log(`\n3. From the rollback decision to five live clients serving control, ${reps} rollbacks each (target: at most 1 s)\n`);
    console.log('store        median      p95      max     max / 1 s');
    for (const kind of ['postgres', 'redis']) {
      const ms = await propagation(kind);
      console.log(`${kind.padEnd(10)}${`${quantile(ms, 0.5).toFixed(1)} ms`.padStart(10)}${`${quantile(ms, 0.95).toFixed(1)} ms`.padStart(10)}${`${ms.at(-1).toFixed(1)} ms`.padStart(10)}${(ms.at(-1) / 1000).toFixed(3).padStart(12)}`);
      progress(`propagation ${kind}`);
    }
  }
  if (wanted('cost')) {
    console.log(`\n4. The monitor's cost per look on a growing ${sizeMb} MB export (1 MB appended between looks)\n`);
    console.log('look    file size     bytes read   read / size     time');
    for (const { look, size, read, ms } of await costPerLook()) {
      console.log(`${String(look).padStart(4)}${`${(size / 1_048_576).toFixed(1)} MB`.padStart(13)}${`${(read / 1_048_576).toFixed(2)} MB`.padStart(15)}${(read / size).toFixed(5).padStart(13)}${`${ms.toFixed(0)} ms`.padStart(10)}`);
    }
    progress('cost per look');
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
