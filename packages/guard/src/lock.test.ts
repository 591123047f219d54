import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { acquireMonitorLock, MonitorLockedError } from './lock.js';
import { POSTGRES_URL, REDIS_URL, uniqueName } from './test-support/services.js';

const dir = mkdtempSync(join(tmpdir(), 'guard-lock-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('one monitor per experiment', () => {
  it('PostgreSQL: a second monitor is refused, naming the holder; after release it may start', async () => {
    const experiment = uniqueName('exp').toLowerCase();
    const first = await acquireMonitorLock({ store: POSTGRES_URL, experiment });
    const refused = acquireMonitorLock({ store: POSTGRES_URL, experiment });
    await expect(refused).rejects.toBeInstanceOf(MonitorLockedError);
    await expect(acquireMonitorLock({ store: POSTGRES_URL, experiment })).rejects.toThrow(
      new RegExp(`another monitor is watching ${experiment}: bucketry-monitor pid ${process.pid} on host .* holds PostgreSQL advisory lock`),
    );
    expect(first.lost()).toBeNull();
    await first.release();
    const second = await acquireMonitorLock({ store: POSTGRES_URL, experiment });
    await second.release();
  });

  it('PostgreSQL: a lock whose connection is killed is reported lost', async () => {
    const experiment = uniqueName('exp').toLowerCase();
    const lock = await acquireMonitorLock({ store: POSTGRES_URL, experiment });
    const pg = (await import('pg')).default;
    const admin = new pg.Client({ connectionString: POSTGRES_URL });
    await admin.connect();
    await admin.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name LIKE 'bucketry-monitor pid ${process.pid}%'`);
    await admin.end();
    for (let i = 0; i < 500 && lock.lost() === null; i++) await new Promise((r) => setTimeout(r, 20));
    expect(lock.lost()).toMatch(/PostgreSQL connection holding the lock/);
    await lock.release();
  });

  it('Redis: a second monitor is refused; the key is renewed past its expiry; one taken away is reported lost', async () => {
    const experiment = uniqueName('exp').toLowerCase();
    const prefix = `${uniqueName('guard')}:`;
    const store = `${REDIS_URL}?prefix=${prefix}`;
    const lock = await acquireMonitorLock({ store, experiment, ttlMs: 600 });
    await expect(acquireMonitorLock({ store, experiment })).rejects.toThrow(new RegExp(`another monitor is watching ${experiment}: pid ${process.pid} on host .* holds Redis key ${prefix}monitor-lock:${experiment}`));
    await new Promise((r) => setTimeout(r, 1500)); // well past one expiry: renewals keep it
    const redis = new Redis(REDIS_URL);
    expect(await redis.pttl(`${prefix}monitor-lock:${experiment}`)).toBeGreaterThan(0);
    expect(lock.lost()).toBeNull();
    await redis.set(`${prefix}monitor-lock:${experiment}`, 'someone else');
    for (let i = 0; i < 200 && lock.lost() === null; i++) await new Promise((r) => setTimeout(r, 20));
    expect(lock.lost()).toMatch(/no longer this monitor's/);
    await lock.release();
    expect(await redis.get(`${prefix}monitor-lock:${experiment}`)).toBe('someone else'); // release deletes only its own claim
    await redis.del(`${prefix}monitor-lock:${experiment}`);
    redis.disconnect();
  });

  it('file store: a lock file names pid and host; a live holder refuses, a dead one on this host is taken over', async () => {
    const store = `file:${join(dir, 'rollouts.json')}`;
    const lock = await acquireMonitorLock({ store, experiment: 'checkout_v2' });
    await expect(acquireMonitorLock({ store, experiment: 'checkout_v2' })).rejects.toThrow(new RegExp(`pid ${process.pid} on host ${hostname()} since .* holds .*rollouts\\.json\\.checkout_v2\\.monitor\\.lock`));
    await lock.release();
    const dead = Number(execFileSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']).toString());
    writeFileSync(join(dir, 'rollouts.json.checkout_v2.monitor.lock'), JSON.stringify({ pid: dead, host: hostname(), since: 'earlier' }));
    const taken = await acquireMonitorLock({ store, experiment: 'checkout_v2' });
    expect(taken.holder).toBe(`pid ${process.pid} on host ${hostname()}`);
    await taken.release();
    writeFileSync(join(dir, 'rollouts.json.checkout_v2.monitor.lock'), JSON.stringify({ pid: dead, host: 'other-host', since: 'earlier' }));
    await expect(acquireMonitorLock({ store, experiment: 'checkout_v2' })).rejects.toThrow(/on host other-host since earlier/);
  });
});
