// One monitor acts per experiment. The lock lives where the rollout does: a PostgreSQL advisory
// lock held by the monitor's connection, a Redis key set NX with an expiry the monitor renews, or,
// for a file store, a lock file beside the store's file naming the process and host. A second monitor
// is refused with the holder's name; a monitor that loses its lock stops acting.
import { hostname } from 'node:os';
import { open, readFile, unlink } from 'node:fs/promises';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import pg from 'pg';

/**
 * A monitor's claim on an experiment. `lost()` says why it no longer holds it (connection gone,
 * expiry missed), or null while it does; the monitor checks it before every change it makes.
 *
 * @example
 * ```ts
 * const lock = await acquireMonitorLock({ store: 'redis://127.0.0.1:6379', experiment: 'checkout_v2' });
 * try { … } finally { await lock.release(); }
 * ```
 */
export interface MonitorLock {
  /** Who holds it: `pid 4242 on host web-1`. */
  readonly holder: string;
  lost(): string | null;
  release(): Promise<void>;
}

/**
 * Another monitor holds the experiment; the message names it and where the lock lives.
 *
 * @example
 * ```ts
 * try { await acquireMonitorLock(options); } catch (error) { if (error instanceof MonitorLockedError) console.error(error.message); }
 * ```
 */
export class MonitorLockedError extends Error {
  override name = 'MonitorLockedError';
}

/**
 * Where to lock: the store's URL and the experiment.
 *
 * @example
 * ```ts
 * const options: LockOptions = { store: 'file:rollouts.json', experiment: 'checkout_v2', cwd: '/srv/app' };
 * ```
 */
export interface LockOptions {
  readonly store: string;
  readonly experiment: string;
  /** What a relative `file:` store path is relative to. Default: the working directory. */
  readonly cwd?: string;
  /** Redis: the key's expiry, renewed every third of it. Default 30 s. */
  readonly ttlMs?: number;
}

const me = (): string => `pid ${process.pid} on host ${hostname()}`;

async function fileLock(path: string, experiment: string): Promise<MonitorLock> {
  const claim = JSON.stringify({ pid: process.pid, host: hostname(), since: new Date().toISOString() });
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const handle = await open(path, 'wx');
      await handle.writeFile(claim);
      await handle.close();
      return { holder: me(), lost: () => null, release: () => unlink(path).catch(() => {}) };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const held = JSON.parse(await readFile(path, 'utf8').catch(() => '{}')) as { pid?: number; host?: string; since?: string };
    // A lock left by a process that died on this host is stale; one from another host cannot be checked from here.
    if (held.host === hostname() && typeof held.pid === 'number' && !alive(held.pid)) {
      await unlink(path).catch(() => {});
      continue;
    }
    throw new MonitorLockedError(
      `another monitor is watching ${experiment}: pid ${held.pid ?? '?'} on host ${held.host ?? '?'} since ${held.since ?? '?'} holds ${path}. ` +
        `Stop it first; if it is gone from another host, delete the lock file.`,
    );
  }
  throw new MonitorLockedError(`${path} could not be claimed`);
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function postgresLock(url: string, experiment: string): Promise<MonitorLock> {
  const parsed = new URL(url);
  parsed.searchParams.delete('schema');
  const client = new pg.Client({ connectionString: parsed.toString(), application_name: `bucketry-monitor ${me()}`.slice(0, 63) });
  let lostReason: string | null = null;
  client.on('error', (error) => {
    lostReason = `the PostgreSQL connection holding the lock failed: ${error.message}`;
  });
  client.on('end', () => {
    lostReason ??= 'the PostgreSQL connection holding the lock closed';
  });
  await client.connect();
  const key = `bucketry-monitor:${experiment}`;
  const { rows } = await client.query<{ locked: boolean }>('SELECT pg_try_advisory_lock(hashtext($1)) AS locked', [key]);
  if (!rows[0]!.locked) {
    const holder = await client.query<{ application_name: string; backend_start: Date; client_addr: string | null }>(
      `SELECT a.application_name, a.backend_start, a.client_addr::text FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
       WHERE l.locktype = 'advisory' AND l.granted AND l.objid = (hashtext($1)::bigint & 4294967295)::oid LIMIT 1`,
      [key],
    );
    await client.end();
    const h = holder.rows[0];
    throw new MonitorLockedError(
      `another monitor is watching ${experiment}: ${h ? `${h.application_name || 'a session'} (from ${h.client_addr ?? 'local socket'}, connected ${h.backend_start.toISOString()})` : 'a session'} holds PostgreSQL advisory lock "${key}". Stop it first.`,
    );
  }
  return {
    holder: me(),
    lost: () => lostReason,
    async release() {
      lostReason ??= 'released';
      await client.query('SELECT pg_advisory_unlock(hashtext($1))', [key]).catch(() => {});
      await client.end().catch(() => {});
    },
  };
}

const RENEW = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) else return 0 end`;
const RELEASE = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end`;

async function redisLock(url: string, experiment: string, ttlMs: number): Promise<MonitorLock> {
  const parsed = new URL(url);
  const prefix = parsed.searchParams.get('prefix') ?? 'bucketry:';
  parsed.searchParams.delete('prefix');
  const redis = new Redis(parsed.toString(), { maxRetriesPerRequest: 1, connectTimeout: 5_000 });
  redis.on('error', () => {});
  const key = `${prefix}monitor-lock:${experiment}`;
  const claim = JSON.stringify({ holder: me(), since: new Date().toISOString(), token: Math.random().toString(36).slice(2) });
  const set = await redis.set(key, claim, 'PX', ttlMs, 'NX');
  if (set !== 'OK') {
    const held = JSON.parse((await redis.get(key)) ?? '{}') as { holder?: string; since?: string };
    redis.disconnect();
    throw new MonitorLockedError(`another monitor is watching ${experiment}: ${held.holder ?? 'a process'} since ${held.since ?? '?'} holds Redis key ${key} (it expires ${ttlMs / 1000} s after its holder stops renewing it). Stop it first.`);
  }
  let lostReason: string | null = null;
  let lastRenewal = Date.now();
  const timer = setInterval(() => {
    redis
      .eval(RENEW, 1, key, claim, ttlMs)
      .then((renewed) => {
        if (renewed === 1) lastRenewal = Date.now();
        else lostReason ??= `Redis key ${key} is no longer this monitor's (it expired or was taken)`;
      })
      .catch(() => {
        if (Date.now() - lastRenewal >= ttlMs) lostReason ??= `the lock in Redis could not be renewed for ${ttlMs / 1000} s`;
      });
  }, Math.max(50, Math.floor(ttlMs / 3)));
  timer.unref();
  return {
    holder: me(),
    // Past the expiry without a renewal the key may be someone else's, whatever the last reply said.
    lost: () => lostReason ?? (Date.now() - lastRenewal >= ttlMs ? `the lock in Redis was not renewed for ${ttlMs / 1000} s` : null),
    async release() {
      clearInterval(timer);
      lostReason ??= 'released';
      await redis.eval(RELEASE, 1, key, claim).catch(() => {});
      redis.disconnect();
    },
  };
}

/**
 * Claims the experiment for this monitor in the place its store names (`postgres://`: advisory
 * lock; `redis://`: a key with expiry, renewed; `file:`: `<store file>.<experiment>.monitor.lock`), or throws
 * {@link MonitorLockedError} naming the monitor that holds it.
 *
 * @example
 * ```ts
 * const lock = await acquireMonitorLock({ store: 'postgres://db/app', experiment: 'checkout_v2' });
 * ```
 */
export async function acquireMonitorLock(options: LockOptions): Promise<MonitorLock> {
  const { store, experiment } = options;
  if (/^postgres(ql)?:\/\//.test(store)) return postgresLock(store, experiment);
  if (/^rediss?:\/\//.test(store)) return redisLock(store, experiment, options.ttlMs ?? 30_000);
  if (store.startsWith('file:')) {
    const path = store.startsWith('file://') ? fileURLToPath(store) : resolve(options.cwd ?? process.cwd(), store.slice('file:'.length));
    return fileLock(`${path}.${experiment}.monitor.lock`, experiment);
  }
  throw new TypeError(`store must be file:<path>, postgres://… or redis://…, got ${JSON.stringify(store.replace(/\/\/[^@/]*@/, '//…@'))}`);
}
