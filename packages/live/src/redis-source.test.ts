import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { createRedisStore } from './redis-store.js';
import { setRollout } from './set-rollout.js';
import { rolloutOf, sourcesClosedAfterEach } from './test-support/live-client.js';
import { REDIS_URL, deleteKeys, uniqueName, waitFor } from './test-support/services.js';

const prefix = `${uniqueName('live_redis_source')}:`;
const admin = new Redis(REDIS_URL);
const writer = createRedisStore({ url: REDIS_URL, prefix });
const startSource = sourcesClosedAfterEach();
afterAll(async () => {
  await deleteKeys(prefix);
  await writer.close();
  await admin.quit();
});

const subscribers = async (): Promise<number> => ((await admin.pubsub('NUMSUB', `${prefix}changes`)) as [string, number])[1];

describe('Redis source', () => {
  it('loads at start and gets a change pushed by pub/sub, without waiting for the poll', async () => {
    await setRollout(writer, 'skill_tree_layout', { percent: 10, actor: 'ana' });
    const { bucketry, errors } = await startSource(createRedisStore({ url: REDIS_URL, prefix }));
    expect(rolloutOf(bucketry)).toBe(10);
    expect(bucketry.status()).toMatchObject({ source: 'redis', stale: false });
    await waitFor('the subscriber', async () => (await subscribers()) === 1);

    await setRollout(writer, 'skill_tree_layout', { percent: 35, actor: 'ana' });
    await waitFor('the pushed 35%', () => rolloutOf(bucketry) === 35);
    expect(errors).toEqual([]);
  });

  it('re-reads after its subscriber is disconnected, picking up a change published while it was away', async () => {
    await setRollout(writer, 'pilot', { percent: 5, actor: 'ana' });
    const { bucketry } = await startSource(createRedisStore({ url: REDIS_URL, prefix }));
    await waitFor('the subscriber', async () => (await subscribers()) === 1);

    // Kill the subscriber's connection (ours only, by its name) and change the set in the same
    // transaction, before it can be back.
    const ours = String(await admin.client('LIST')).split('\n').filter((line) => line.includes(` name=bucketry-live-sub:${prefix} `));
    expect(ours).toHaveLength(1);
    const id = /id=(\d+)/.exec(ours[0]!)![1]!;
    const record = { rollout: 40, enabled: true, version: 9, updatedAt: new Date().toISOString(), actor: 'ana', phase: null, reason: null };
    await admin.multi().client('KILL', 'ID', id).hset(`${prefix}rollouts`, 'pilot', JSON.stringify(record)).exec();
    await waitFor('the change made meanwhile', () => rolloutOf(bucketry, 'pilot') === 40);
    await waitFor('the subscriber back', async () => (await subscribers()) === 1);
    await setRollout(writer, 'pilot', { percent: 45, actor: 'ana' });
    await waitFor('the next push', () => rolloutOf(bucketry, 'pilot') === 45);
  });

  it('keeps the last good set and marks it stale when a record is invalid, then recovers', async () => {
    await setRollout(writer, 'skill_tree_layout', { percent: 12, actor: 'ana' });
    const { bucketry, errors } = await startSource(createRedisStore({ url: REDIS_URL, prefix }), { retryDelay: 50 });
    await waitFor('the subscriber', async () => (await subscribers()) === 1);
    const good = await admin.hget(`${prefix}rollouts`, 'skill_tree_layout');

    await admin.multi().hset(`${prefix}rollouts`, 'skill_tree_layout', '{"rollout": "lots"').publish(`${prefix}changes`, 'skill_tree_layout').exec();
    await waitFor('the stale mark', () => bucketry.status().stale);
    expect(bucketry.status().staleReason).toContain('rollouts.skill_tree_layout must be a rollout record object, got "{\\"rollout\\": \\"lots\\""');
    expect(rolloutOf(bucketry)).toBe(12);
    expect(errors.length).toBeGreaterThan(0);

    await admin.multi().hset(`${prefix}rollouts`, 'skill_tree_layout', good!).publish(`${prefix}changes`, 'skill_tree_layout').exec();
    await waitFor('the recovery', () => !bucketry.status().stale);
  });

  it('refuses a set that lost records (a Redis restarted without persistence): the last good set stays, stale, until they are set again', async () => {
    const own = `${prefix}lost:`; // a store of its own: the records the other tests left are not in it
    const ownWriter = createRedisStore({ url: REDIS_URL, prefix: own });
    await setRollout(ownWriter, 'skill_tree_layout', { percent: 30, actor: 'ana' });
    const { bucketry } = await startSource(createRedisStore({ url: REDIS_URL, prefix: own }), { retryDelay: 50 });
    await waitFor('the subscriber', async () => ((await admin.pubsub('NUMSUB', `${own}changes`)) as [string, number])[1] === 1);
    expect(rolloutOf(bucketry)).toBe(30);

    // What a restart without persistence leaves: no records at all.
    await admin.multi().del(`${own}rollouts`).publish(`${own}changes`, 'skill_tree_layout').exec();
    await waitFor('the stale mark', () => bucketry.status().stale);
    expect(bucketry.status().staleReason).toContain('no longer holds the rollout of');
    expect(bucketry.status().staleReason).toContain('skill_tree_layout');
    expect(rolloutOf(bucketry)).toBe(30);

    await setRollout(ownWriter, 'skill_tree_layout', { percent: 30, actor: 'ana', reason: 'restored after the Redis restart' });
    await waitFor('the recovery', () => !bucketry.status().stale);
    expect(rolloutOf(bucketry)).toBe(30);
    await ownWriter.close();
  });
});
