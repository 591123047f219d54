#!/usr/bin/env node
// Simulated traffic for the skill-tree example, leaving the Segment-style JSONL export the
// analysis package reads. By default it starts its own server (src/server.mjs) on a free port of
// 127.0.0.1 with the given rollout, sends the traffic, stops the server with SIGTERM (which writes
// every queued event) and reports what the export holds. With --url it drives a server already
// running on this machine instead, and waits until that server has written every queued
// exposure to its EXPOSURE_LOG, which is then the export.
//
//   node scripts/simulate-traffic.mjs --users 2000 --rollout 50 --out exports/skill-tree.jsonl
//
// Everything is bounded: at most 100,000 users, 32 requests in flight, 3 page views per user, and
// only loopback addresses are ever contacted.
import { rm } from 'node:fs/promises';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { rolloutFromPercentEnv } from '@bucketry/core';
import { startServerProcess } from '../src/server-process.mjs';
import { LIMITS, TRAFFIC_DEFAULTS as D, countExport, loadCookies, saveCookies, simulateTraffic, waitForQueuedEvents } from './traffic.mjs';

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

class UsageError extends Error {}

const USAGE = `usage: node scripts/simulate-traffic.mjs [options]
  --users N          simulated users, 1-${LIMITS.users} (default ${D.users})
  --rollout P        SKILL_TREE_LIST_ROLLOUT for the server it starts (default 50)
  --out PATH         the export it leaves (default exports/skill-tree.jsonl; replaced if present)
  --seed N           seeds who signs in, how often they visit, what they report (default ${D.seed})
  --concurrency N    requests in flight, 1-${LIMITS.concurrency} (default ${D.concurrency})
  --signed-in F      share of users who are signed in, 0-1 (default ${D.signedIn}; the rest are anonymous)
  --tree-rate F      chance that a tree user starts a session (default ${D.rates.tree})
  --list-rate F      chance that a list user starts a session (default ${D.rates.list})
  --tree-load-ms N   median load time the tree page reports, in ms (default ${D.loadMs.tree})
  --list-load-ms N   median load time the list page reports, in ms (default ${D.loadMs.list})
  --tree-error-rate F  chance per view that the tree page reports a render error (default ${D.errorRates.tree})
  --list-error-rate F  chance per view that the list page reports a render error (default ${D.errorRates.list})
  --cookies PATH     keep users' cookies in this file between runs, so that anonymous visitors
                     come back with their ids (read if present, written at the end)
  --url URL          drive a server already running on 127.0.0.1 instead of starting one
                     (then --rollout and --out do not apply: that server has its own)`;

function parseOptions(argv) {
  const { values } = parseArgs({
    args: argv,
    options: {
      users: { type: 'string', default: String(D.users) },
      rollout: { type: 'string' },
      out: { type: 'string' },
      seed: { type: 'string', default: String(D.seed) },
      concurrency: { type: 'string', default: String(D.concurrency) },
      'signed-in': { type: 'string', default: String(D.signedIn) },
      'tree-rate': { type: 'string', default: String(D.rates.tree) },
      'list-rate': { type: 'string', default: String(D.rates.list) },
      'tree-load-ms': { type: 'string', default: String(D.loadMs.tree) },
      'list-load-ms': { type: 'string', default: String(D.loadMs.list) },
      'tree-error-rate': { type: 'string', default: String(D.errorRates.tree) },
      'list-error-rate': { type: 'string', default: String(D.errorRates.list) },
      cookies: { type: 'string' },
      url: { type: 'string' },
      help: { type: 'boolean', default: false },
    },
    strict: true,
  });
  if (values.help) return { help: true };
  const whole = (name, min, max) => {
    const text = values[name];
    if (!/^\d+$/.test(text) || Number(text) < min || Number(text) > max) {
      throw new UsageError(`--${name} must be a whole number from ${min} to ${max}, got ${JSON.stringify(text)}`);
    }
    return Number(text);
  };
  const fraction = (name) => {
    const text = values[name];
    if (!/^(0(\.\d+)?|1(\.0+)?)$/.test(text)) throw new UsageError(`--${name} must be a number from 0 to 1, got ${JSON.stringify(text)}`);
    return Number(text);
  };
  let url;
  if (values.url !== undefined) {
    if (values.rollout !== undefined || values.out !== undefined) {
      throw new UsageError('--rollout and --out apply only to the server this script starts; the server at --url has its own');
    }
    try {
      url = new URL(values.url);
    } catch {
      throw new UsageError(`--url must be a URL such as http://127.0.0.1:3000, got ${JSON.stringify(values.url)}`);
    }
    if (url.protocol !== 'http:' || !LOOPBACK_HOSTS.has(url.hostname)) {
      throw new UsageError(`--url must be http:// on 127.0.0.1, localhost or [::1]; this script sends traffic to this machine only, got ${JSON.stringify(values.url)}`);
    }
  }
  const rollout = values.rollout ?? '50';
  try {
    // The rule the server applies to SKILL_TREE_LIST_ROLLOUT, checked before starting it.
    rolloutFromPercentEnv('--rollout', { '--rollout': rollout });
  } catch {
    throw new UsageError(`--rollout must be a percent from 0 to 100, got ${JSON.stringify(rollout)}`);
  }
  return {
    users: whole('users', 1, LIMITS.users),
    concurrency: whole('concurrency', 1, LIMITS.concurrency),
    seed: whole('seed', 0, 2 ** 31),
    signedIn: fraction('signed-in'),
    rates: { tree: fraction('tree-rate'), list: fraction('list-rate') },
    loadMs: { tree: whole('tree-load-ms', 1, 60_000), list: whole('list-load-ms', 1, 60_000) },
    errorRates: { tree: fraction('tree-error-rate'), list: fraction('list-error-rate') },
    cookiesFile: values.cookies === undefined ? undefined : resolve(values.cookies),
    rollout,
    out: resolve(values.out ?? 'exports/skill-tree.jsonl'),
    url: url?.origin,
  };
}

/** Starts src/server.mjs on a free loopback port with the rollout, writing its events to `out`. */
async function startServer(rollout, out) {
  const server = await startServerProcess({
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', SKILL_TREE_LIST_ROLLOUT: rollout, EXPOSURE_LOG: out },
  });
  return {
    url: server.url,
    stop: async () => {
      const code = await server.stop('SIGTERM');
      if (code !== 0) throw new Error(`the server exited with ${code} on SIGTERM:\n${server.output()}`);
    },
  };
}

async function run(options) {
  let server;
  if (options.url === undefined) {
    await rm(options.out, { force: true });
    server = await startServer(options.rollout, options.out);
  }
  const base = options.url ?? server.url;
  const cookies = options.cookiesFile === undefined ? new Map() : await loadCookies(options.cookiesFile);
  let tally;
  try {
    tally = await simulateTraffic(base, { ...options, cookies });
    if (server === undefined) await waitForQueuedEvents(base);
  } finally {
    await server?.stop();
  }
  if (options.cookiesFile !== undefined) await saveCookies(options.cookiesFile, cookies);

  console.log(`simulated ${options.users} users against ${base}${server ? ` (SKILL_TREE_LIST_ROLLOUT=${options.rollout})` : ''}`);
  console.log('  variant   users  sessions   rate  page loads  errors');
  for (const variant of ['tree', 'list']) {
    const { users, sessions, loads, errors } = tally.byVariant[variant] ?? { users: 0, sessions: 0, loads: 0, errors: 0 };
    const rate = users ? (sessions / users).toFixed(3) : '-';
    console.log(`  ${variant.padEnd(7)} ${String(users).padStart(6)}  ${String(sessions).padStart(8)}  ${rate.padStart(5)}  ${String(loads).padStart(10)}  ${String(errors).padStart(6)}`);
  }
  if (tally.cookiesRewritten > 0) console.log(`  ${tally.cookiesRewritten} variant cookies rewritten by the server`);
  if (server) {
    const counts = await countExport(options.out);
    console.log(
      `export: ${options.out} (${counts.lines} lines: ${counts.experiment_exposure} exposures, ${counts.session_started_from_tree} sessions, ${counts.skill_tree_loaded} page loads, ${counts.skill_tree_error} errors)`,
    );
  } else {
    console.log('export: the EXPOSURE_LOG of the server at --url (every queued exposure written)');
  }
}

let options;
try {
  options = parseOptions(process.argv.slice(2));
} catch (error) {
  console.error(`simulate-traffic: ${error.message}\n${USAGE}`);
  process.exit(2);
}
if (options.help) {
  console.log(USAGE);
} else {
  run(options).catch((error) => {
    console.error(`simulate-traffic: ${error.message}`);
    process.exit(1);
  });
}
