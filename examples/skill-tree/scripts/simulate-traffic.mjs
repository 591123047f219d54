#!/usr/bin/env node
// Simulated traffic for the skill-tree example, leaving the Segment-style JSONL export the
// analysis package reads. By default it starts its own server (src/server.mjs) on a free port of
// 127.0.0.1 with the given rollout, sends the traffic, stops the server with SIGTERM (which writes
// every queued event) and reports what the export holds. With --url it drives a server already
// running on this machine instead; the export is then that server's EXPOSURE_LOG.
//
//   node scripts/simulate-traffic.mjs --users 2000 --rollout 50 --out exports/skill-tree.jsonl
//
// Everything is bounded: at most 100,000 users, 32 requests in flight, 3 page views per user, and
// only loopback addresses are ever contacted.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { Random } from '@bucketry/analyze';
import { readFile, rm } from 'node:fs/promises';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const EXAMPLE_DIR = fileURLToPath(new URL('..', import.meta.url));
const SERVER = fileURLToPath(new URL('../src/server.mjs', import.meta.url));
const LIMITS = { users: 100_000, concurrency: 32, visits: 3 };
const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

class UsageError extends Error {}

const USAGE = `usage: node scripts/simulate-traffic.mjs [options]
  --users N          simulated users, 1-${LIMITS.users} (default 1000)
  --rollout P        SKILL_TREE_LIST_ROLLOUT for the server it starts (default 50)
  --out PATH         the export it leaves (default exports/skill-tree.jsonl; replaced if present)
  --seed N           seeds who signs in, how often they visit, who starts a session (default 1)
  --concurrency N    requests in flight, 1-${LIMITS.concurrency} (default 8)
  --signed-in F      share of users who are signed in, 0-1 (default 0.7; the rest are anonymous)
  --tree-rate F      chance that a tree user starts a session (default 0.30)
  --list-rate F      chance that a list user starts a session (default 0.33)
  --url URL          drive a server already running on 127.0.0.1 instead of starting one
                     (then --rollout and --out do not apply: that server has its own)`;

function parseOptions(argv) {
  const { values } = parseArgs({
    args: argv,
    options: {
      users: { type: 'string', default: '1000' },
      rollout: { type: 'string' },
      out: { type: 'string' },
      seed: { type: 'string', default: '1' },
      concurrency: { type: 'string', default: '8' },
      'signed-in': { type: 'string', default: '0.7' },
      'tree-rate': { type: 'string', default: '0.30' },
      'list-rate': { type: 'string', default: '0.33' },
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
  if (!/^\d{1,3}(\.\d{1,4})?$/.test(rollout) || Number(rollout) > 100) {
    throw new UsageError(`--rollout must be a percent from 0 to 100, got ${JSON.stringify(rollout)}`);
  }
  return {
    users: whole('users', 1, LIMITS.users),
    concurrency: whole('concurrency', 1, LIMITS.concurrency),
    seed: whole('seed', 0, 2 ** 31),
    signedIn: fraction('signed-in'),
    rates: { tree: fraction('tree-rate'), list: fraction('list-rate') },
    rollout,
    out: resolve(values.out ?? 'exports/skill-tree.jsonl'),
    url: url?.origin,
  };
}

const userSeed = (seed, index) => createHash('sha256').update(`${seed}:${index}`).digest().readUInt32LE(0);

/** Starts src/server.mjs on a free loopback port; resolves with its URL and a stop function. */
function startServer(rollout, out) {
  const child = spawn(process.execPath, [SERVER], {
    cwd: EXAMPLE_DIR,
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', SKILL_TREE_LIST_ROLLOUT: rollout, EXPOSURE_LOG: out },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const exited = new Promise((done) => child.once('exit', (code) => done(code)));
  return new Promise((resolveStart, reject) => {
    const onData = (chunk) => {
      output += chunk;
      const match = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
      if (match) {
        resolveStart({
          url: match[1],
          stop: async () => {
            child.kill('SIGTERM');
            const code = await exited;
            if (code !== 0) throw new Error(`the server exited with ${code} on SIGTERM:\n${output}`);
          },
        });
      }
    };
    child.stdout.setEncoding('utf8').on('data', onData);
    child.stderr.setEncoding('utf8').on('data', onData);
    child.once('exit', (code) => reject(new Error(`the server exited with ${code} before listening:\n${output}`)));
  });
}

/** One user: 1-3 views of the skills page, then maybe a session started from it. */
async function simulateUser(base, index, options, tally) {
  // Each user gets its own generator, so concurrency changes no outcome.
  const rng = new Random(userSeed(options.seed, index));
  const random = () => rng.next();
  const signedIn = random() < options.signedIn;
  const headers = signedIn ? { 'x-user-id': `sim-user-${options.seed}-${index}` } : {};
  let cookie = '';
  let variant;
  const views = 1 + Math.floor(random() * LIMITS.visits);
  for (let view = 0; view < views; view++) {
    const response = await fetch(`${base}/api/v1/skills/tree`, { headers: { ...headers, ...(cookie && { cookie }) } });
    if (response.status !== 200) throw new Error(`GET /api/v1/skills/tree answered ${response.status}`);
    await response.arrayBuffer();
    variant = response.headers.get('x-experiment-skill-tree-layout');
    // A browser's cookie store, reduced to what this API sets.
    const jar = new Map(cookie ? cookie.split('; ').map((pair) => pair.split('=')) : []);
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const eq = pair.indexOf('=');
      jar.set(pair.slice(0, eq), pair.slice(eq + 1));
    }
    cookie = [...jar].map(([name, value]) => `${name}=${value}`).join('; ');
  }
  tally.users[variant] = (tally.users[variant] ?? 0) + 1;
  if (random() < (options.rates[variant] ?? 0)) {
    const response = await fetch(`${base}/api/v1/sessions`, { method: 'POST', headers: { ...headers, ...(cookie && { cookie }) } });
    if (response.status !== 201) throw new Error(`POST /api/v1/sessions answered ${response.status}`);
    await response.arrayBuffer();
    tally.sessions[variant] = (tally.sessions[variant] ?? 0) + 1;
  }
  tally.requests += views + 1;
}

async function run(options) {
  let server;
  if (options.url === undefined) {
    await rm(options.out, { force: true });
    server = await startServer(options.rollout, options.out);
  }
  const base = options.url ?? server.url;
  const tally = { users: {}, sessions: {}, requests: 0 };
  let next = 0;
  const worker = async () => {
    while (next < options.users) await simulateUser(base, next++, options, tally);
  };
  try {
    await Promise.all(Array.from({ length: Math.min(options.concurrency, options.users) }, worker));
  } finally {
    await server?.stop();
  }

  console.log(`simulated ${options.users} users against ${base}${server ? ` (SKILL_TREE_LIST_ROLLOUT=${options.rollout})` : ''}`);
  for (const variant of ['tree', 'list']) {
    const users = tally.users[variant] ?? 0;
    const sessions = tally.sessions[variant] ?? 0;
    console.log(`  ${variant.padEnd(4)}  users ${String(users).padStart(6)}  sessions ${String(sessions).padStart(6)}  rate ${users ? (sessions / users).toFixed(3) : '-'}`);
  }
  if (server) {
    const lines = (await readFile(options.out, 'utf8')).split('\n').filter(Boolean);
    const exposures = lines.filter((line) => line.includes('"event":"experiment_exposure"')).length;
    console.log(`export: ${options.out} (${lines.length} lines: ${exposures} exposures, ${lines.length - exposures} sessions)`);
  } else {
    console.log('export: the EXPOSURE_LOG of the server at --url');
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
