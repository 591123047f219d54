#!/usr/bin/env node
// "Confirm the value propagates across all instances": polls each instance's rollout-status route
// until every one answers the rollout that was just set, or the deadline passes. Prints each
// instance's answer, in the order given. Exit code 0 when all of them serve it, 1 when one still
// did not at the deadline (named, with what it answers), 2 for bad usage.
//
//   node scripts/wait-for-rollout.mjs 25 http://10.0.0.11:3000 http://10.0.0.12:3000 http://10.0.0.13:3000
import { realpathSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';

const USAGE = `usage: node scripts/wait-for-rollout.mjs <percent> <instance URL>... [--timeout <seconds>] [--experiment <key>]
  <percent>       the rollout just set, 0-100 (0: the kill switch, {"enabled":false,"percentage":0})
  --timeout S     how long to wait for every instance, 1-3600 seconds (default 60)
  --experiment K  the experiment whose /api/feature-flags/<K> route to read (default skill_tree_layout)`;
/** The most instances one run polls. */
const MAX_INSTANCES = 100;
/** How often each instance is asked, in ms. */
const INTERVAL_MS = 100;

class UsageError extends Error {}

/** The status-route answer that means `percent` is in force, as the route writes it. */
const expectedAnswer = (percent) => JSON.stringify({ enabled: percent > 0, percentage: percent });

function parseOptions(argv) {
  const { values, positionals } = parseArgs({
    args: argv,
    options: { timeout: { type: 'string', default: '60' }, experiment: { type: 'string', default: 'skill_tree_layout' }, help: { type: 'boolean', default: false } },
    allowPositionals: true,
    strict: true,
  });
  if (values.help) return { help: true };
  const [percentText, ...urls] = positionals;
  if (percentText === undefined) throw new UsageError('give the rollout to wait for, then the instances');
  if (!/^\d{1,3}(\.\d{1,4})?$/.test(percentText) || Number(percentText) > 100) {
    throw new UsageError(`<percent> must be a percent from 0 to 100 with at most 4 decimals, got ${JSON.stringify(percentText)}`);
  }
  if (urls.length === 0 || urls.length > MAX_INSTANCES) throw new UsageError(`give 1 to ${MAX_INSTANCES} instance URLs, got ${urls.length}`);
  for (const url of urls) {
    if (!/^https?:\/\/[^/\s]+\/?$/.test(url)) throw new UsageError(`each instance must be an http(s)://host:port URL, got ${JSON.stringify(url)}`);
  }
  if (!/^\d{1,4}$/.test(values.timeout) || Number(values.timeout) < 1 || Number(values.timeout) > 3600) {
    throw new UsageError(`--timeout must be a whole number of seconds from 1 to 3600, got ${JSON.stringify(values.timeout)}`);
  }
  if (!/^[a-z0-9_-]{1,64}$/i.test(values.experiment)) throw new UsageError(`--experiment must be an experiment key, got ${JSON.stringify(values.experiment)}`);
  return { percent: Number(percentText), urls: urls.map((url) => url.replace(/\/$/, '')), timeoutMs: Number(values.timeout) * 1000, experiment: values.experiment };
}

/** One instance's answer: the body, or why there is none (`connection refused`, `HTTP 503`). */
async function ask(url, experiment) {
  try {
    const response = await fetch(`${url}/api/feature-flags/${experiment}`, { signal: AbortSignal.timeout(5_000) });
    const text = (await response.text()).trim();
    return response.ok ? text : `HTTP ${response.status} ${text.slice(0, 200)}`;
  } catch (error) {
    return `no answer (${error.cause?.code ?? error.name ?? error.message})`;
  }
}

/**
 * Asks every instance until each has answered `expected` once, or until `timeoutMs`. Resolves
 * with each instance's last answer, whether it matched, and how long the wait took.
 */
export async function waitForRollout({ percent, urls, timeoutMs, experiment }) {
  const expected = expectedAnswer(percent);
  const started = Date.now();
  const answers = new Map(urls.map((url) => [url, undefined]));
  const pending = new Set(urls);
  for (;;) {
    await Promise.all(
      [...pending].map(async (url) => {
        const answer = await ask(url, experiment);
        answers.set(url, answer);
        if (answer === expected) pending.delete(url);
      }),
    );
    if (pending.size === 0 || Date.now() - started >= timeoutMs) break;
    await new Promise((done) => setTimeout(done, INTERVAL_MS));
  }
  return { expected, elapsedMs: Date.now() - started, instances: urls.map((url) => ({ url, answer: answers.get(url), ok: !pending.has(url) })) };
}

async function main(argv) {
  let options;
  try {
    options = parseOptions(argv);
  } catch (error) {
    if (!(error instanceof UsageError) && error.code?.startsWith('ERR_PARSE_ARGS') !== true) throw error;
    console.error(`wait-for-rollout: ${error.message}\n${USAGE}`);
    return 2;
  }
  if (options.help) {
    console.log(USAGE);
    return 0;
  }
  const { instances, elapsedMs } = await waitForRollout(options);
  const width = Math.max(...instances.map(({ url }) => url.length));
  for (const { url, answer, ok } of instances) console.log(`${url.padEnd(width)}  ${answer}${ok ? '' : '  <- not yet'}`);
  const serving = instances.filter(({ ok }) => ok).length;
  const seconds = (elapsedMs / 1000).toFixed(1);
  if (serving === instances.length) {
    console.log(`${serving === 1 ? 'the instance serves' : `all ${serving} instances serve`} ${options.percent}% (waited ${seconds} s)`);
    return 0;
  }
  const behind = instances.filter(({ ok }) => !ok).map(({ url }) => url);
  console.error(`only ${serving} of ${instances.length} instances serve ${options.percent}% after ${seconds} s; still behind: ${behind.join(', ')}`);
  return 1;
}

if (process.argv[1] && import.meta.url === pathToFileURL(realpathSync(process.argv[1])).href) {
  process.exitCode = await main(process.argv.slice(2));
}
