import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { lastKnownGoodFile } from './last-known-good.js';
import { createPostgresStore } from './postgres-store.js';
import { createRedisStore } from './redis-store.js';
import { createFileStore } from './file-store.js';
import { setRollout } from './set-rollout.js';
import { rolloutOf, sourcesClosedAfterEach } from './test-support/live-client.js';
import { POSTGRES_URL, dropSchema, uniqueName, waitFor } from './test-support/services.js';

const schema = uniqueName('live_lkg');
const dir = mkdtempSync(join(tmpdir(), 'bucketry-live-lkg-'));
const startSource = sourcesClosedAfterEach();
afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  await dropSchema(schema);
});

// Nothing listens on port 1: the store is unreachable, at once.
const UNREACHABLE_POSTGRES = 'postgres://postgres@127.0.0.1:1/test';
const UNREACHABLE_REDIS = 'redis://127.0.0.1:1';

describe('last-known-good copy and bootstrap', () => {
  it('writes the copy after a good load; a restart with the store unreachable serves it, stale, instead of the base configs', async () => {
    const path = join(dir, 'cache', 'rollouts.json');
    const writer = createPostgresStore({ connectionString: POSTGRES_URL, schema });
    await setRollout(writer, 'skill_tree_layout', { percent: 25, actor: 'ana', phase: 'ramp' });
    await writer.close();

    await startSource(createPostgresStore({ connectionString: POSTGRES_URL, schema }), { lastKnownGood: lastKnownGoodFile(path) });
    await waitFor('the copy on disk', () => existsSync(path));
    expect(JSON.parse(readFileSync(path, 'utf8'))).toMatchObject({ source: 'postgres', rollouts: { skill_tree_layout: { rollout: 25, version: 1 } } });

    // The restart, during an outage.
    const { bucketry, errors } = await startSource(createPostgresStore({ connectionString: UNREACHABLE_POSTGRES, schema }), { lastKnownGood: lastKnownGoodFile(path) });
    expect(rolloutOf(bucketry)).toBe(25); // not the base configs' 0%
    expect(bucketry.status()).toMatchObject({ source: 'postgres (last-known-good copy)', stale: true });
    expect(bucketry.status().staleReason).toMatch(/^postgres could not be read at start; serving its last-known-good copy saved at \d{4}-.*Z until it answers$/);
    expect(String(errors.find(({ stage }) => stage === 'load')?.error)).toContain('ECONNREFUSED');
    expect(['tree', 'list']).toContain(bucketry.assign('skill_tree_layout', 'user-7').variant);
  });

  it('reads a bootstrap file when there is no copy yet (Redis unreachable)', async () => {
    const bootstrap = join(dir, 'bootstrap.json');
    writeFileSync(bootstrap, JSON.stringify({ rollouts: { pilot: { rollout: 10, enabled: true, version: 3, updatedAt: '2026-11-02T09:30:00.000Z', actor: 'deploy' } } }));
    const { bucketry } = await startSource(createRedisStore({ url: UNREACHABLE_REDIS, prefix: `${schema}:` }), {
      lastKnownGood: lastKnownGoodFile(join(dir, 'never-written.json')),
      bootstrap: lastKnownGoodFile(bootstrap),
    });
    expect(rolloutOf(bucketry, 'pilot')).toBe(10);
    expect(bucketry.status()).toMatchObject({ source: 'redis (bootstrap)', stale: true });
  });

  it('with neither, keeps the base configs, stale with the reason; nothing throws', async () => {
    // startSource awaits start(), which must resolve: a rejection fails the test here.
    const { bucketry, errors } = await startSource(createPostgresStore({ connectionString: UNREACHABLE_POSTGRES, schema }));
    expect(rolloutOf(bucketry)).toBe(0);
    expect(bucketry.status()).toMatchObject({ source: 'code', stale: true });
    expect(bucketry.status().staleReason).toMatch(/^postgres could not be read \(.*ECONNREFUSED.*\); the last good set stays in force$/);
    // The load and the listener's connection each said so.
    expect([...new Set(errors.map(({ stage }) => stage))].sort()).toEqual(['load', 'watch']);
  });

  it('reports a corrupt copy and falls through to the bootstrap', async () => {
    const corrupt = join(dir, 'corrupt.json');
    writeFileSync(corrupt, '{"rollouts": {"pilot": {"rollout": 1');
    const bootstrap = join(dir, 'bootstrap-2.json');
    writeFileSync(bootstrap, JSON.stringify({ rollouts: { pilot: { rollout: 2, enabled: true, version: 1, updatedAt: '2026-11-02T09:30:00.000Z', actor: 'deploy' } } }));
    const { bucketry, errors } = await startSource(createPostgresStore({ connectionString: UNREACHABLE_POSTGRES, schema }), {
      lastKnownGood: lastKnownGoodFile(corrupt), bootstrap: lastKnownGoodFile(bootstrap),
    });
    expect(rolloutOf(bucketry, 'pilot')).toBe(2);
    const backup = errors.filter(({ stage }) => stage === 'backup');
    expect(backup).toHaveLength(1);
    expect(String(backup[0]!.error)).toContain('snapshot must be valid JSON');
  });

  it('leaves the copy for the store as soon as the store answers, and clears the stale mark', async () => {
    const copy = join(dir, 'recovering-copy.json');
    writeFileSync(copy, JSON.stringify({ rollouts: { pilot: { rollout: 10, enabled: true, version: 1, updatedAt: '2026-11-02T09:30:00.000Z', actor: 'ana' } } }));
    const path = join(dir, 'recovering.json'); // not there yet: the store is "down"
    const { bucketry } = await startSource(createFileStore({ path }), { retryDelay: 50, maxRetryDelay: 200, lastKnownGood: lastKnownGoodFile(copy) });
    expect(bucketry.status()).toMatchObject({ source: 'file (last-known-good copy)', stale: true });
    expect(rolloutOf(bucketry, 'pilot')).toBe(10);

    await setRollout(createFileStore({ path }), 'pilot', { percent: 15, actor: 'ana' });
    await waitFor('the store again', () => rolloutOf(bucketry, 'pilot') === 15 && !bucketry.status().stale);
    expect(bucketry.status().source).toBe('file');
    await waitFor('the copy updated', () => JSON.parse(readFileSync(copy, 'utf8')).rollouts.pilot.rollout === 15);
  });
});
