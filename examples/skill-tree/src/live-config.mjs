// The live-rollout settings, read once at start-up with the rest of config.mjs: where the rollouts
// come from (BUCKETRY_STORE), how often to read it without a push, where the last-known-good copy
// is kept, and the bootstrap shipped with a deploy. Anything invalid stops start-up with a message
// naming the variable, the value and the rule.
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** Where the rollouts come from, by URL scheme: the stores `bucketry rollout` writes, and HTTP (read-only, polled). */
const KINDS = [
  ['file:', 'file'],
  ['postgres://', 'postgres'],
  ['postgresql://', 'postgres'],
  ['redis://', 'redis'],
  ['rediss://', 'redis'],
  ['http://', 'http'],
  ['https://', 'http'],
];
/** The shortest BUCKETRY_POLL_MS accepted: a fleet reading its store more often than this gains nothing. */
const MIN_POLL_MS = 100;
/** The last-known-good copy's file name in DATA_DIR. */
const LAST_KNOWN_GOOD_FILE = 'rollouts.last-good.json';

/** A store URL fit to print: a password, if any, is replaced by ***. */
export function shownStoreUrl(url) {
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/[^:/@]*:)[^@/]*@/i, '$1***@');
}

/**
 * Reads a bootstrap file now, so that a typo in the path or a file that is not a snapshot stops
 * the deploy instead of surfacing during the outage it is there for. Returns the absolute path.
 */
function checkBootstrap(path, fail) {
  const file = resolve(path);
  const rule = 'must be a rollout snapshot file ({"rollouts": {…}}), such as an instance’s DATA_DIR/' + LAST_KNOWN_GOOD_FILE;
  let parsed;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    fail(`BUCKETRY_BOOTSTRAP ${rule}, got ${JSON.stringify(path)}: ${error instanceof SyntaxError ? `not JSON (${error.message})` : error.code ?? error.message}`);
  }
  const rollouts = parsed?.rollouts;
  if (rollouts === null || typeof rollouts !== 'object' || Array.isArray(rollouts)) {
    fail(`BUCKETRY_BOOTSTRAP ${rule}, got ${JSON.stringify(path)}, which has no "rollouts" object`);
  }
  return file;
}

/**
 * The live settings from `env`, or `undefined` when `BUCKETRY_STORE` is unset (or empty): then the
 * rollout comes from the environment alone. `fail(message)` throws the caller's error.
 * - `BUCKETRY_STORE`: `file:<path>`, `postgres://…` (`?schema=`), `redis://…` (`?prefix=`), or an
 *   `http(s)://` URL serving the snapshot (read-only: polled)
 * - `BUCKETRY_POLL_MS`: how often to read it without a push (default 30,000, at least 100)
 * - `DATA_DIR`: where the last-known-good copy is kept (default `data`, relative to the working directory)
 * - `BUCKETRY_BOOTSTRAP`: a snapshot file read at start when the store cannot be reached and there is no copy yet
 */
export function readLiveSettings(env, fail) {
  const store = env.BUCKETRY_STORE?.trim();
  if (!store) {
    for (const name of ['BUCKETRY_POLL_MS', 'BUCKETRY_BOOTSTRAP']) {
      if (env[name] !== undefined && env[name] !== '') fail(`${name} is read only with BUCKETRY_STORE, which is not set`);
    }
    return undefined;
  }
  const kind = KINDS.find(([prefix]) => store.toLowerCase().startsWith(prefix))?.[1];
  if (kind === undefined || store === 'file:') {
    fail(
      `BUCKETRY_STORE must be file:<path>, postgres://… (?schema=name), redis://… (?prefix=name:) or an http(s):// URL serving the rollout snapshot, got ${JSON.stringify(shownStoreUrl(store))}`,
    );
  }
  const rawPoll = env.BUCKETRY_POLL_MS;
  if (rawPoll !== undefined && (!/^\d{1,9}$/.test(rawPoll.trim()) || Number(rawPoll) < MIN_POLL_MS)) {
    fail(`BUCKETRY_POLL_MS must be a whole number of milliseconds from ${MIN_POLL_MS}, got ${JSON.stringify(rawPoll)}`);
  }
  const dataDir = env.DATA_DIR?.trim() || 'data';
  const bootstrap = env.BUCKETRY_BOOTSTRAP?.trim();
  return {
    store,
    shownStore: shownStoreUrl(store),
    kind,
    pollIntervalMs: rawPoll === undefined ? 30_000 : Number(rawPoll),
    lastKnownGoodPath: resolve(join(dataDir, LAST_KNOWN_GOOD_FILE)),
    bootstrapPath: bootstrap ? checkBootstrap(bootstrap, fail) : undefined,
  };
}
