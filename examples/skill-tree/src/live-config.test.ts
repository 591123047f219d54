import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, readConfig } from './config.mjs';
import { shownStoreUrl } from './live-config.mjs';
import { useScratchDir } from './test-support/scratch-dir.js';

const scratch = useScratchDir('skill-tree-live-config-');

describe('readConfig with BUCKETRY_STORE', () => {
  it('reads the store, a 30 s poll and data/ by default, and needs no rollout variable: 0 until the store says', () => {
    const config = readConfig({ BUCKETRY_STORE: 'postgres://app:s3cret@db:5432/app?schema=bucketry' });
    expect(config.rollout).toBe(0);
    expect(config.rolloutSetting).toBeUndefined();
    expect(config.live).toEqual({
      store: 'postgres://app:s3cret@db:5432/app?schema=bucketry',
      shownStore: 'postgres://app:***@db:5432/app?schema=bucketry',
      kind: 'postgres',
      pollIntervalMs: 30_000,
      lastKnownGoodPath: resolve('data/rollouts.last-good.json'),
      bootstrapPath: undefined,
    });
  });

  it.each([
    ['file:rollouts.json', 'file'],
    ['file:///etc/bucketry/rollouts.json', 'file'],
    ['postgresql://db/app', 'postgres'],
    ['redis://cache:6379?prefix=app:', 'redis'],
    ['rediss://cache:6380', 'redis'],
    ['https://config.example.com/rollouts.json', 'http'],
  ])('takes %s as a %s source', (store, kind) => {
    expect(readConfig({ BUCKETRY_STORE: store }).live).toMatchObject({ store, kind });
  });

  it('takes the rollout variable as the rollout until the store has a record, DATA_DIR, BUCKETRY_POLL_MS and a bootstrap file', async () => {
    const bootstrap = scratch('bootstrap.json');
    await writeFile(bootstrap, '{"rollouts":{}}');
    const config = readConfig({
      BUCKETRY_STORE: 'redis://127.0.0.1:6379',
      PILOT_ROLLOUT_PCT: '0.05',
      DATA_DIR: '/var/lib/skill-tree',
      BUCKETRY_POLL_MS: '2000',
      BUCKETRY_BOOTSTRAP: bootstrap,
    });
    expect(config).toMatchObject({ rollout: 5, rolloutSetting: 'PILOT_ROLLOUT_PCT=0.05, 5% list' });
    expect(config.live).toMatchObject({ pollIntervalMs: 2000, lastKnownGoodPath: '/var/lib/skill-tree/rollouts.last-good.json', bootstrapPath: bootstrap });
  });

  it('reads the environment alone when BUCKETRY_STORE is unset or empty', () => {
    expect(readConfig({ SKILL_TREE_LIST_ROLLOUT: '10' }).live).toBeUndefined();
    expect(readConfig({ SKILL_TREE_LIST_ROLLOUT: '10', BUCKETRY_STORE: '' }).live).toBeUndefined();
  });

  it('shows a store URL without its password', () => {
    expect(shownStoreUrl('redis://:hunter2@cache:6379')).toBe('redis://:***@cache:6379');
    expect(shownStoreUrl('postgres://app@db/app')).toBe('postgres://app@db/app');
    expect(shownStoreUrl('file:rollouts.json')).toBe('file:rollouts.json');
  });

  it.each([
    [{ BUCKETRY_STORE: 'mysql://app:pw@db/app' }, 'BUCKETRY_STORE must be file:<path>, postgres://… (?schema=name), redis://… (?prefix=name:) or an http(s):// URL serving the rollout snapshot, got "mysql://app:***@db/app"'],
    [{ BUCKETRY_STORE: 'rollouts.json' }, 'BUCKETRY_STORE must be file:<path>, postgres://… (?schema=name), redis://… (?prefix=name:) or an http(s):// URL serving the rollout snapshot, got "rollouts.json"'],
    [{ BUCKETRY_STORE: 'file:' }, 'got "file:"'],
    [{ BUCKETRY_STORE: 'file:r.json', BUCKETRY_POLL_MS: '50' }, 'BUCKETRY_POLL_MS must be a whole number of milliseconds from 100, got "50"'],
    [{ BUCKETRY_STORE: 'file:r.json', BUCKETRY_POLL_MS: '2s' }, 'BUCKETRY_POLL_MS must be a whole number of milliseconds from 100, got "2s"'],
    [{ SKILL_TREE_LIST_ROLLOUT: '10', BUCKETRY_POLL_MS: '2000' }, 'BUCKETRY_POLL_MS is read only with BUCKETRY_STORE, which is not set'],
    [{ SKILL_TREE_LIST_ROLLOUT: '10', BUCKETRY_BOOTSTRAP: 'boot.json' }, 'BUCKETRY_BOOTSTRAP is read only with BUCKETRY_STORE, which is not set'],
    [{ BUCKETRY_STORE: 'file:r.json', SKILL_TREE_LIST_ROLLOUT: '10', PILOT_ROLLOUT_PCT: '0.1' }, 'not both'],
    [{ BUCKETRY_STORE: 'file:r.json', SKILL_TREE_LIST_ROLLOUT: 'ten' }, 'SKILL_TREE_LIST_ROLLOUT must be a percent from 0 to 100'],
  ])('refuses %j, naming the variable, the value and the rule', (env, message) => {
    expect(() => readConfig(env)).toThrow(ConfigError);
    expect(() => readConfig(env)).toThrow(message);
  });

  it('refuses a bootstrap that is missing, not JSON, or not a snapshot, when it is read: at start-up, not during an outage', async () => {
    const notJson = scratch('not-json.json');
    const notSnapshot = scratch('not-snapshot.json');
    await writeFile(notJson, '{"rollouts":');
    await writeFile(notSnapshot, '{"experiments":{}}');
    const store = { BUCKETRY_STORE: 'file:r.json' };
    const rule = 'BUCKETRY_BOOTSTRAP must be a rollout snapshot file ({"rollouts": {…}}), such as an instance’s DATA_DIR/rollouts.last-good.json, got';
    expect(() => readConfig({ ...store, BUCKETRY_BOOTSTRAP: scratch('missing.json') })).toThrow(`${rule} ${JSON.stringify(scratch('missing.json'))}: ENOENT`);
    expect(() => readConfig({ ...store, BUCKETRY_BOOTSTRAP: notJson })).toThrow(`${rule} ${JSON.stringify(notJson)}: not JSON`);
    expect(() => readConfig({ ...store, BUCKETRY_BOOTSTRAP: notSnapshot })).toThrow(`${rule} ${JSON.stringify(notSnapshot)}, which has no "rollouts" object`);
  });
});
