// The two propagation measurements of bench/live-propagation.mjs, on a running fleet under steady
// traffic: how long the kill switch (10 → 0) takes until every instance answers every request with
// control, and whether a ramp (10 → 50) ever moves a unit from list back to tree.
import { performance } from 'node:perf_hooks';
import { assignVariant, defineExperiment } from '@bucketry/core';
import { KEY, waitForAll } from './fleet.mjs';
import { createTraffic } from './traffic.mjs';

const sleep = (ms) => new Promise((done) => setTimeout(done, ms));
const layoutAt = (rollout) => defineExperiment({ key: KEY, variants: ['tree', 'list'], rollout });
export const variantAt = (rollout, user) => assignVariant(layoutAt(rollout), user).variant;

/** The first `count` ids `<prefix>-<n>` for which `keep(id)` holds. */
export function pickUsers(prefix, count, keep = () => true) {
  const users = [];
  for (let i = 0; users.length < count; i++) if (keep(`${prefix}-${i}`)) users.push(`${prefix}-${i}`);
  return users;
}

/** Consecutive control answers each instance must give after its last list one to count as switched. */
const SETTLED = 30;

/**
 * From the answers after t0, per instance: the first request (by send time) after which every
 * request answered control; the figure is the latest of those across instances, from t0, in ms.
 */
function switchedAfter(rep) {
  let latest = 0;
  for (const answers of rep.answers) {
    const lastList = Math.max(-Infinity, ...answers.filter(([, variant]) => variant === 'list').map(([sentAt]) => sentAt));
    const firstAfter = Math.min(...answers.filter(([sentAt, variant]) => variant === 'tree' && sentAt > lastList).map(([sentAt]) => sentAt));
    latest = Math.max(latest, firstAfter - rep.t0);
  }
  return latest;
}

/**
 * `reps` times: at 10% under traffic of users who get list at 10%, set 0 and time until every
 * instance answers every request with control (null for a repetition that passed `deadlineMs`).
 */
export async function measureKillSwitch({ store, urls, reps, deadlineMs }) {
  const users = pickUsers('kill', 300, (user) => variantAt(10, user) === 'list');
  const failures = [];
  let answered = 0;
  let rep;
  const traffic = createTraffic({
    urls,
    users,
    onResponse(answer) {
      answered++;
      if (answer.status !== 200) failures.push(answer);
      if (rep === undefined || answer.sentAt < rep.t0) return;
      rep.answers[answer.instance].push([answer.sentAt, answer.variant]);
      rep.settled[answer.instance] = answer.variant === 'list' ? 0 : rep.settled[answer.instance] + 1;
    },
  });
  const times = [];
  traffic.start();
  try {
    for (let i = 0; i < reps; i++) {
      await store.set(10);
      await waitForAll(urls, 10);
      await sleep(300); // steady traffic at 10% before the change
      rep = { t0: performance.now(), answers: urls.map(() => []), settled: urls.map(() => 0) };
      await store.set(0);
      const deadline = rep.t0 + deadlineMs;
      while (!rep.settled.every((n) => n >= SETTLED) && performance.now() < deadline) await sleep(5);
      times.push(rep.settled.every((n) => n >= SETTLED) ? switchedAfter(rep) : null);
      rep = undefined;
    }
  } finally {
    await traffic.stop();
  }
  return { times, failures: failures.length, answered };
}

/**
 * 10% → 50% under traffic of `population` users, each seen before the change and again once every
 * instance serves 50%. Counts the units seen on list at 10% and on tree later (the promise: 0),
 * units that flipped list → tree while the instances disagreed, units that moved tree → list, and
 * answers that differ from what the engine assigns at the rollout in force on every instance.
 */
export async function measureRamp({ store, urls, population = 3000 }) {
  const users = pickUsers('ramp', population);
  const seen = new Map(users.map((user) => [user, []]));
  const failures = [];
  const traffic = createTraffic({
    urls,
    users,
    onResponse(answer) {
      if (answer.status !== 200) failures.push(answer);
      else seen.get(answer.user).push([answer.sentAt, answer.variant]);
    },
  });
  await store.set(10);
  await waitForAll(urls, 10);
  traffic.start();
  let t0;
  let allAt50;
  try {
    const everyoneSince = async (time) => {
      const deadline = performance.now() + 60_000;
      while (![...seen.values()].every((answers) => answers.some(([sentAt]) => sentAt > time)) && performance.now() < deadline) await sleep(20);
    };
    await everyoneSince(0);
    t0 = performance.now();
    await store.set(50);
    await waitForAll(urls, 50);
    allAt50 = performance.now();
    await everyoneSince(allAt50);
  } finally {
    await traffic.stop();
  }
  let backFromBefore = 0;
  let flipped = 0;
  let movedUp = 0;
  let wrong = 0;
  for (const [user, answers] of seen) {
    answers.sort((a, b) => a[0] - b[0]);
    const firstList = answers.findIndex(([, variant]) => variant === 'list');
    const treeAfterList = firstList >= 0 && answers.slice(firstList).some(([, variant]) => variant === 'tree');
    if (treeAfterList && answers[firstList][0] < t0) backFromBefore++;
    else if (treeAfterList) flipped++;
    if (answers.some(([sentAt, variant]) => sentAt < t0 && variant === 'tree') && answers.some(([sentAt, variant]) => sentAt > allAt50 && variant === 'list')) movedUp++;
    wrong += answers.filter(([sentAt, variant]) => (sentAt < t0 && variant !== variantAt(10, user)) || (sentAt > allAt50 && variant !== variantAt(50, user))).length;
  }
  return { population, backFromBefore, flipped, movedUp, wrong, failures: failures.length };
}
