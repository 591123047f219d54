// Simulated users of the skill-tree API, as a browser would send them: views of the skills page
// (with the cookies the API set), the page's load time or render error for each view, and
// sometimes a learning session started from it. Deterministic for a seed, except for the
// variants of anonymous visitors, whose ids the server issues at random.
import { createHash } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { Random } from '@bucketry/stats';

/** Bounds of one run: users, requests in flight, views of the skills page per user. */
export const LIMITS = Object.freeze({ users: 100_000, concurrency: 32, views: 3 });

/**
 * The simulated world unless told otherwise: list lifts session starts from 30% to 36%, loads a
 * little faster, and both layouts fail on 0.2% of page views.
 */
export const TRAFFIC_DEFAULTS = Object.freeze({
  users: 1000,
  seed: 1,
  concurrency: 8,
  signedIn: 0.7,
  rates: Object.freeze({ tree: 0.3, list: 0.36 }),
  loadMs: Object.freeze({ tree: 800, list: 700 }),
  errorRates: Object.freeze({ tree: 0.002, list: 0.002 }),
});

/** Spread of simulated load times around their median (log-normal sigma): p95 is about 2.3 × the median. */
const LOAD_TIME_SIGMA = 0.5;

const userSeed = (seed, index) => createHash('sha256').update(`${seed}:${index}`).digest().readUInt32LE(0);

/** The cookie header for the cookies a response sets on top of `cookie`; counts rewritten variant cookies. */
function applySetCookie(cookie, response, tally) {
  const jar = new Map(cookie ? cookie.split('; ').map((pair) => pair.split('=')) : []);
  for (const line of response.headers.getSetCookie()) {
    const [pair] = line.split(';');
    const eq = pair.indexOf('=');
    const name = pair.slice(0, eq);
    const value = pair.slice(eq + 1);
    if (name.startsWith('exp_') && jar.has(name) && jar.get(name) !== value) tally.cookiesRewritten++;
    jar.set(name, value);
  }
  return [...jar].map(([name, value]) => `${name}=${value}`).join('; ');
}

async function send(url, init, expected) {
  const response = await fetch(url, init);
  if (response.status !== expected) throw new Error(`${init.method ?? 'GET'} ${new URL(url).pathname} answered ${response.status}: ${await response.text()}`);
  return response;
}

/** One user: 1-3 views of the skills page, each reported as loaded or failed, then maybe a session. */
async function simulateUser(base, index, options, tally) {
  // Each user gets its own generator, so concurrency changes no outcome.
  const rng = new Random(userSeed(options.seed, index));
  const random = () => rng.next();
  const signedIn = random() < options.signedIn;
  const identity = signedIn ? { 'x-user-id': `sim-user-${options.seed}-${index}` } : {};
  let cookie = options.cookies.get(index) ?? '';
  const headers = () => ({ ...identity, ...(cookie && { cookie }) });
  let variant;
  const views = 1 + Math.floor(random() * LIMITS.views);
  for (let view = 0; view < views; view++) {
    const response = await send(`${base}/api/v1/skills/tree`, { headers: headers() }, 200);
    await response.arrayBuffer();
    variant = response.headers.get('x-experiment-skill-tree-layout');
    cookie = applySetCookie(cookie, response, tally);
    // What the page reports once it has rendered the skills, or failed to.
    const failed = random() < (options.errorRates[variant] ?? 0);
    const [path, report] = failed
      ? ['errors', { code: random() < 0.7 ? 'render_timeout' : 'api_500' }]
      : ['loaded', { duration_ms: Math.round((options.loadMs[variant] ?? 1000) * Math.exp(LOAD_TIME_SIGMA * rng.normal())) }];
    const init = { method: 'POST', headers: { ...headers(), 'content-type': 'application/json' }, body: JSON.stringify(report) };
    await (await send(`${base}/api/v1/skills/tree/${path}`, init, 201)).arrayBuffer();
    tally.count(variant, failed ? 'errors' : 'loads');
  }
  tally.count(variant, 'users');
  if (random() < (options.rates[variant] ?? 0)) {
    await (await send(`${base}/api/v1/sessions`, { method: 'POST', headers: headers() }, 201)).arrayBuffer();
    tally.count(variant, 'sessions');
  }
  options.cookies.set(index, cookie);
}

/** Counts per variant: users, sessions, page loads and errors. */
export function createTally() {
  const byVariant = {};
  return {
    byVariant,
    cookiesRewritten: 0,
    count(variant, what) {
      byVariant[variant] ??= { users: 0, sessions: 0, loads: 0, errors: 0 };
      byVariant[variant][what]++;
    },
  };
}

/**
 * Sends `options.users` simulated users to the API at `base` (`options`: users, seed,
 * concurrency, signedIn, rates, loadMs, errorRates per variant, and `cookies`, a Map from user
 * index to the cookie header it had, read and updated so users can come back, and `onUser`, called
 * with the number of users done after each one, for a progress display). Resolves with the tally.
 */
export async function simulateTraffic(base, options) {
  const tally = createTally();
  let next = 0;
  let done = 0;
  const worker = async () => {
    while (next < options.users) {
      await simulateUser(base, next++, options, tally);
      options.onUser?.(++done);
    }
  };
  await Promise.all(Array.from({ length: Math.min(options.concurrency, options.users) }, worker));
  return tally;
}

/** Waits until the server at `base` has written every queued exposure (its health route says so). */
export async function waitForQueuedEvents(base, timeoutMs = 15_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { exposures } = await (await send(`${base}/api/healthz`, {}, 200)).json();
    if (exposures === undefined) throw new Error(`${base}/api/healthz does not report its exposure queue; is it the skill-tree example?`);
    if (exposures.queued === 0 && exposures.inFlight === 0) return;
    if (Date.now() > deadline) throw new Error(`${base} still had ${exposures.queued + exposures.inFlight} exposures to write after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Users' cookies from a file written by {@link saveCookies}; empty if there is none yet. */
export async function loadCookies(path) {
  try {
    return new Map(Object.entries(JSON.parse(await readFile(path, 'utf8'))).map(([index, cookie]) => [Number(index), cookie]));
  } catch (error) {
    if (error.code === 'ENOENT') return new Map();
    throw new Error(`${path}: not a cookie file written by this script (${error.message})`);
  }
}

/** Keeps users' cookies for the next run, so anonymous visitors come back as themselves. */
export async function saveCookies(path, cookies) {
  await writeFile(path, `${JSON.stringify(Object.fromEntries(cookies))}\n`);
}

/** The export's lines counted by event. */
export async function countExport(path) {
  const counts = { lines: 0, experiment_exposure: 0, session_started_from_tree: 0, skill_tree_loaded: 0, skill_tree_error: 0 };
  for (const line of (await readFile(path, 'utf8')).split('\n')) {
    if (line === '') continue;
    counts.lines++;
    const { event } = JSON.parse(line);
    if (event in counts) counts[event]++;
  }
  return counts;
}
