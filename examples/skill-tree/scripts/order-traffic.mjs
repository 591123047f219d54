#!/usr/bin/env node
// Simulated users of the skill_order experiment (src/skill-order.mjs) against a running example:
// each opens the skills list for one or two queries and, sometimes, a skill from its first three,
// the one the popularity ranker (B) puts first with chance --popular, else the one the learning
// path (A) puts first. Waits until the server has written every queued exposure to its
// EXPOSURE_LOG, which is then the export `bucketry analyze --interleaving` reads. Deterministic for
// a seed; only loopback addresses are contacted.
//
//   node examples/skill-tree/scripts/order-traffic.mjs --url http://127.0.0.1:3000 --users 400 --popular 0.6
import { realpathSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { Random } from '@bucketry/stats';
import { rankByPath, rankByPopularity } from '../src/skill-order.mjs';
import { waitForQueuedEvents } from './traffic.mjs';

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);
const MAX_USERS = 100_000;
const QUERIES = ['home', 'search:functions'];

const USAGE = `usage: node scripts/order-traffic.mjs --url URL [options]
  --url URL          the running example, on 127.0.0.1, localhost or [::1]
  --users N          simulated users, 1-${MAX_USERS} (default 400)
  --popular F        chance that a click goes to ranker B's favourite, 0-1 (default 0.6)
  --click-rate F     chance that a shown list is clicked, 0-1 (default 0.7)
  --seed N           (default 1)`;

class UsageError extends Error {}

function fraction(name, text) {
  const value = Number(text);
  if (text.trim() === '' || !(value >= 0 && value <= 1)) throw new UsageError(`--${name} must be a number from 0 to 1, got ${JSON.stringify(text)}`);
  return value;
}

function whole(name, text, min, max) {
  const value = Number(text);
  if (!/^\d+$/.test(text.trim()) || value < min || value > max) throw new UsageError(`--${name} must be a whole number from ${min} to ${max}, got ${JSON.stringify(text)}`);
  return value;
}

function parseOptions(argv) {
  const { values } = parseArgs({
    args: argv,
    options: {
      url: { type: 'string' },
      users: { type: 'string', default: '400' },
      popular: { type: 'string', default: '0.6' },
      'click-rate': { type: 'string', default: '0.7' },
      seed: { type: 'string', default: '1' },
    },
  });
  let url;
  try {
    url = new URL(values.url ?? '');
  } catch {
    throw new UsageError(`--url must be a URL such as http://127.0.0.1:3000, got ${JSON.stringify(values.url ?? 'nothing')}`);
  }
  if (url.protocol !== 'http:' || !LOOPBACK_HOSTS.has(url.hostname)) {
    throw new UsageError(`--url must be http:// on 127.0.0.1, localhost or [::1]; this script sends traffic to this machine only, got ${JSON.stringify(values.url)}`);
  }
  return {
    base: url.origin,
    users: whole('users', values.users, 1, MAX_USERS),
    popular: fraction('popular', values.popular),
    clickRate: fraction('click-rate', values['click-rate']),
    seed: whole('seed', values.seed, 0, 2 ** 31),
  };
}

async function send(url, init, status) {
  const response = await fetch(url, init);
  if (response.status !== status) throw new Error(`${init.method ?? 'GET'} ${url} answered ${response.status}, expected ${status}: ${await response.text()}`);
  return response.json();
}

/** Sends the traffic; resolves with the lists shown and the clicks posted. */
export async function orderTraffic({ base, users, popular, clickRate, seed }) {
  const random = new Random(seed);
  const favourite = (ranking, shown) => ranking.find((id) => shown.includes(id));
  let lists = 0;
  let clicks = 0;
  for (let u = 0; u < users; u++) {
    const headers = { 'x-user-id': `user-${u}` };
    for (const query of QUERIES.slice(0, random.chance(0.5) ? 2 : 1)) {
      const { skills } = await send(`${base}/api/v1/skills/order?query=${encodeURIComponent(query)}`, { headers }, 200);
      lists++;
      if (!random.chance(clickRate)) continue;
      const firstThree = skills.slice(0, 3).map((skill) => skill.id);
      const item = favourite(random.chance(popular) ? rankByPopularity() : rankByPath(), firstThree);
      const body = JSON.stringify({ query, item });
      await send(`${base}/api/v1/skills/order/clicks`, { method: 'POST', headers: { ...headers, 'content-type': 'application/json' }, body }, 201);
      clicks++;
    }
  }
  await waitForQueuedEvents(base);
  return { lists, clicks };
}

async function main(argv) {
  let options;
  try {
    options = parseOptions(argv);
  } catch (error) {
    process.stderr.write(`${error.message}\n${USAGE}\n`);
    return 2;
  }
  const { lists, clicks } = await orderTraffic(options);
  process.stdout.write(`skill_order: ${options.users} users, ${lists} lists shown, ${clicks} clicks\n`);
  process.stdout.write('export: the EXPOSURE_LOG of the server at --url (every queued exposure written)\n');
  return 0;
}

// Run as a script, not when imported; Node loads the script by its real path.
const script = process.argv[1] === undefined ? undefined : pathToFileURL(realpathSync(process.argv[1])).href;
if (import.meta.url === script) process.exitCode = await main(process.argv.slice(2));
