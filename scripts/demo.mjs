// `pnpm demo`: the skill-tree runbook on the engine alone. 10,000 simulated users go through
// rollout 10, then 50, then the kill switch at 0; the ramp must move nobody from list back to tree.
import { assignVariant, defineExperiment, rolloutFromPercentEnv } from '@bucketry/core';

const USERS = 10_000;
const users = Array.from({ length: USERS }, (_, i) => `user-${i + 1}`);

function stage(rolloutEnvValue) {
  // Read the rollout the way a service would at start-up.
  const rollout = rolloutFromPercentEnv('SKILL_TREE_LIST_ROLLOUT', { SKILL_TREE_LIST_ROLLOUT: rolloutEnvValue });
  const experiment = defineExperiment({ key: 'skill_tree_layout', variants: ['tree', 'list'], rollout });
  const variants = new Map(users.map((user) => [user, assignVariant(experiment, user).variant]));
  const list = [...variants.values()].filter((v) => v === 'list').length;
  return { rollout, experiment, variants, list };
}

const pct = (n) => `${((100 * n) / USERS).toFixed(2)}%`;
const line = (s) =>
  `  SKILL_TREE_LIST_ROLLOUT=${String(s.rollout).padEnd(3)}  tree ${String(USERS - s.list).padStart(5)} (${pct(USERS - s.list).padStart(6)})   list ${String(s.list).padStart(5)} (${pct(s.list).padStart(6)})`;

const at10 = stage('10');
const at50 = stage('50');
const at0 = stage('0');

let listToTree = 0;
let treeToList = 0;
for (const user of users) {
  const before = at10.variants.get(user);
  const after = at50.variants.get(user);
  if (before === 'list' && after === 'tree') listToTree++;
  if (before === 'tree' && after === 'list') treeToList++;
}

console.log(`Bucketry demo: experiment "skill_tree_layout" (control "tree", treatment "list"), ${USERS.toLocaleString('en')} users`);
console.log(`  response header ${at10.experiment.header}, cookie ${at10.experiment.cookie}\n`);
console.log(line(at10));
console.log(line(at50));
console.log(`\n  Ramp 10 -> 50: ${listToTree} users moved list -> tree (must be 0); ${treeToList} moved tree -> list (the new 40%).`);
console.log(`\n  Kill switch:`);
console.log(line(at0));
const reasons = new Set(users.map((u) => assignVariant(at0.experiment, u).reason));
console.log(`  every user gets control, reason: ${[...reasons].join(', ')}; no exposures are due.\n`);

const ok = listToTree === 0 && at0.list === 0 && Math.abs(at10.list / USERS - 0.1) < 0.015 && Math.abs(at50.list / USERS - 0.5) < 0.02;
console.log(ok ? 'OK: splits match the rollout, the ramp moved nobody back, the kill switch works.' : 'FAILED: see above.');
process.exit(ok ? 0 : 1);
