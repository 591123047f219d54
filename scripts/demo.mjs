#!/usr/bin/env node
// `pnpm demo`: the skill-tree runbook end to end on this machine. It starts the example API at
// SKILL_TREE_LIST_ROLLOUT=10, sends simulated users, analyzes the export with the `bucketry` CLI
// (smoke-10), ramps to 50 with the same users coming back (ramp-50, and nobody moved from list
// back to tree), flips the kill switch to 0, and prints a short report. Exit code 0 when every
// stage behaved as the runbook expects, 1 when one did not. Every server it started is stopped and
// its work directory removed, also on Ctrl-C. It builds the packages first, quietly (a one-line
// summary; the whole output if the build fails); `--no-build` skips that (the tests have built).
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { spawnServerProcess } from '../examples/skill-tree/src/server-process.mjs';
import { compareStages, exposedVariants } from '../examples/skill-tree/scripts/ramp-check.mjs';
import { TRAFFIC_DEFAULTS, simulateTraffic, waitForQueuedEvents } from '../examples/skill-tree/scripts/traffic.mjs';
import { runQuietly } from './demo-build.mjs';
import { createProgress, secondsSince } from './demo-progress.mjs';
import { analysisLines } from './demo-report.mjs';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const CLI = join(ROOT, 'packages/analyze/dist/cli.js');

// The traffic simulator's world (its defaults): list lifts session starts from 30% to 36%; both
// layouts load well and rarely fail (0.2% of page views, far from the 2% error-rate guardrail).
// 6,000 users are enough for the 10% smoke test's non-inferiority check to pass on such a lift,
// and keep the demo well under a minute on two cores. Signed-in users' variants and choices follow
// from the seed; with seed 15 their split is within 0.3 standard deviations of the rollout at both
// stages, so what the demo shows is a typical run, not a lucky or unlucky one.
const TRAFFIC = { ...TRAFFIC_DEFAULTS, users: 6_000, seed: 15, concurrency: 32 };

const running = new Set();
let workDir;

const number = (n) => n.toLocaleString('en');
const percent = (x) => `${Math.round(100 * x)}%`;

async function startApi(rollout, exportPath) {
  const server = spawnServerProcess({
    env: { PATH: process.env.PATH ?? '', PORT: '0', HOST: '127.0.0.1', SKILL_TREE_LIST_ROLLOUT: String(rollout), EXPOSURE_LOG: exportPath },
  });
  // Tracked from the start, so that Ctrl-C while it starts stops it too.
  running.add(server);
  server.url = await server.ready;
  const status = await (await fetch(`${server.url}/api/feature-flags/skill_tree_layout`)).text();
  console.log(`   API ${server.url} (pid ${server.pid}), rollout status ${status}`);
  return server;
}

async function stopApi(server) {
  const code = await server.stop('SIGTERM');
  running.delete(server);
  if (code !== 0) throw new Error(`the API exited with ${code} on SIGTERM:\n${server.output()}`);
}

/** One stage: the API at `rollout`, the first `users` users, SIGTERM (which writes every queued event). */
async function runStage(rollout, exportPath, cookies, users = TRAFFIC.users) {
  const server = await startApi(rollout, exportPath);
  const start = Date.now();
  const progress = createProgress({ total: users, label: 'simulated users' });
  const tally = await simulateTraffic(server.url, { ...TRAFFIC, users, cookies, onUser: progress.update });
  progress.finish();
  await waitForQueuedEvents(server.url);
  await stopApi(server);
  const usersOn = (variant) => tally.byVariant[variant]?.users ?? 0;
  console.log(`   ${number(usersOn('tree') + usersOn('list'))} users (${percent(TRAFFIC.signedIn)} signed in) in ${secondsSince(start)}: tree ${number(usersOn('tree'))}, list ${number(usersOn('list'))}`);
  return tally;
}

/** `bucketry analyze <export> --policy <policy> --format json`; the report, whatever the decision. */
function analyze(exportPath, policy) {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [CLI, 'analyze', exportPath, '--policy', policy, '--format', 'json'], { maxBuffer: 64 << 20 }, (error, stdout, stderr) => {
      // Exit 1 is a hold or rollback decision, which the report explains; 2 is unusable input.
      if (error && error.code !== 1) return reject(new Error(`bucketry analyze failed (exit ${error.code}): ${stderr}`));
      resolve(JSON.parse(stdout));
    });
  });
}

function printAnalysis(report, policy) {
  for (const line of analysisLines(report, policy)) console.log(`   ${line}`);
}

async function cleanUp() {
  const servers = [...running];
  await Promise.all(servers.map((server) => server.stop('SIGTERM')));
  running.clear();
  if (workDir !== undefined) await rm(workDir, { recursive: true, force: true });
  return servers.length;
}

async function main() {
  const started = Date.now();
  const { values } = parseArgs({ options: { 'no-build': { type: 'boolean', default: false } } });
  if (!values['no-build']) await runQuietly({ command: 'pnpm', args: ['build'], cwd: ROOT, doing: 'Building the packages (pnpm build)', done: 'Built the packages' });
  workDir = await mkdtemp(join(tmpdir(), 'bucketry-demo-'));
  const exportAt = (rollout) => join(workDir, `skill-tree-${rollout}.jsonl`);
  // The users' cookie jars: anonymous visitors come back with their ids, as in a browser.
  const cookies = new Map();
  const failures = [];
  const expect = (ok, message) => {
    if (!ok) failures.push(message);
  };

  console.log('Bucketry demo: the skill-tree runbook on this machine');
  console.log('experiment skill_tree_layout: control "tree", treatment "list"; header X-Experiment-Skill-Tree-Layout, cookie exp_skill_tree_layout');
  console.log(`simulated: session starts tree ${percent(TRAFFIC.rates.tree)}, list ${percent(TRAFFIC.rates.list)}; work directory ${workDir}\n`);

  console.log('1. Smoke test: SKILL_TREE_LIST_ROLLOUT=10');
  await runStage(10, exportAt(10), cookies);
  const smoke = await analyze(exportAt(10), 'smoke-10');
  printAnalysis(smoke, 'smoke-10');
  expect(smoke.decision === 'proceed', `smoke-10 decided ${smoke.decision}, not proceed`);

  console.log('\n2. Ramp: SKILL_TREE_LIST_ROLLOUT=50, the same users come back');
  await runStage(50, exportAt(50), cookies);
  const ramp = await analyze(exportAt(50), 'ramp-50');
  printAnalysis(ramp, 'ramp-50');
  expect(ramp.decision === 'proceed', `ramp-50 decided ${ramp.decision}, not proceed`);
  const { both, moves } = compareStages(await exposedVariants(exportAt(10)), await exposedVariants(exportAt(50)));
  const backToTree = moves['list → tree'];
  const toList = moves['tree → list'];
  const cameBack = both === TRAFFIC.users ? `all ${number(both)} users came back` : `${number(both)} of ${number(TRAFFIC.users)} users came back`;
  const none = backToTree === 0 ? 'none' : number(backToTree);
  console.log(`   Ramp check: ${cameBack}; ${number(toList)} moved from tree to list as the rollout grew, ${none} from list back to tree.`);
  expect(backToTree === 0, `${backToTree} users moved from list back to tree`);
  expect(both === TRAFFIC.users, `${both} of ${TRAFFIC.users} users were recognised at both stages`);

  // A third of the users is enough to show the switch; it keeps the demo short.
  console.log('\n3. Kill switch: SKILL_TREE_LIST_ROLLOUT=0, the first 2,000 users come back');
  const killed = await runStage(0, exportAt(0), cookies, 2_000);
  const exposuresAt0 = (await exposedVariants(exportAt(0))).size;
  console.log(`   ${number(killed.cookiesRewritten)} list cookies rewritten to tree; ${exposuresAt0} exposures (nobody is in the experiment)`);
  expect((killed.byVariant.list?.users ?? 0) === 0, `${killed.byVariant.list?.users} users still got list at rollout 0`);
  expect(exposuresAt0 === 0, `${exposuresAt0} exposures at rollout 0`);

  console.log(`\nReport (${secondsSince(started)})`);
  console.log(`  10% smoke test     ${smoke.decision.toUpperCase()}`);
  console.log(`  50% ramp           ${ramp.decision.toUpperCase()}; ${backToTree} users moved from list back to tree`);
  console.log(`  kill switch at 0   ${killed.byVariant.list?.users ? 'FAILED' : 'everyone on tree'}`);
  return failures;
}

let interruptedBy;
const interrupt = (signal, code) => () => {
  if (interruptedBy !== undefined) return;
  interruptedBy = signal;
  console.error(`\ndemo: ${signal}: stopping`);
  void cleanUp().then(() => process.exit(code));
};
process.on('SIGINT', interrupt('SIGINT', 130));
process.on('SIGTERM', interrupt('SIGTERM', 143));

let failures;
try {
  failures = await main();
} catch (error) {
  failures = [error instanceof Error ? error.message : String(error)];
}
// Interrupted: the handler cleans up and exits; what failed because of it is not news.
if (interruptedBy !== undefined) await new Promise(() => {});
const stopped = await cleanUp();
if (stopped > 0) console.log(`  (stopped ${stopped} API process${stopped === 1 ? '' : 'es'} left running)`);
console.log(`  cleaned up         every API process stopped, ${workDir ?? 'the work directory'} removed`);
if (failures.length > 0) {
  console.error(`\nFAILED:\n${failures.map((f) => `  - ${f}`).join('\n')}`);
  process.exit(1);
}
console.log('\nOK: the runbook held at every stage.');
