import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPostgresStore } from './postgres-store.js';
import { setRollout } from './set-rollout.js';
import { rolloutOf, sourcesClosedAfterEach } from './test-support/live-client.js';
import { POSTGRES_URL, dropSchema, uniqueName, waitFor } from './test-support/services.js';

const schema = uniqueName('live_pg_source');
const admin = new pg.Client({ connectionString: POSTGRES_URL });
const writer = createPostgresStore({ connectionString: POSTGRES_URL, schema });
const startSource = sourcesClosedAfterEach();
beforeAll(() => admin.connect());
afterAll(async () => {
  await writer.close();
  await admin.end();
  await dropSchema(schema);
});

const listenerPids = async (): Promise<number[]> =>
  (await admin.query('select pid from pg_stat_activity where application_name = $1 order by pid', [`bucketry-live-listen:${schema}`])).rows.map((r) => r.pid);

describe('PostgreSQL source', () => {
  it('loads at start and gets a change pushed by NOTIFY, without waiting for the poll', async () => {
    await setRollout(writer, 'skill_tree_layout', { percent: 10, actor: 'ana' });
    const { bucketry, errors } = await startSource(createPostgresStore({ connectionString: POSTGRES_URL, schema }));
    expect(rolloutOf(bucketry)).toBe(10);
    expect(bucketry.status()).toMatchObject({ source: 'postgres', stale: false });
    await waitFor('the listener', async () => (await listenerPids()).length === 1);

    await setRollout(writer, 'skill_tree_layout', { percent: 25, actor: 'ana', phase: 'ramp' });
    await waitFor('the pushed 25%', () => rolloutOf(bucketry) === 25);
    // A change made by hand in SQL is pushed too: the trigger notifies, not the writer.
    await admin.query(`update "${schema}".rollouts set rollout = 30, version = version + 1 where experiment = 'skill_tree_layout'`);
    await waitFor('the hand-made 30%', () => rolloutOf(bucketry) === 30);
    expect(errors).toEqual([]);
  });

  it('reconnects after its connection is killed and picks up a change made meanwhile', async () => {
    await setRollout(writer, 'pilot', { percent: 5, actor: 'ana' });
    // A slow first reconnection, so the change below lands while nobody listens.
    const { bucketry, errors } = await startSource(createPostgresStore({ connectionString: POSTGRES_URL, schema, reconnectDelay: 1_000 }));
    await waitFor('the listener', async () => (await listenerPids()).length === 1);
    const [before] = await listenerPids();

    await admin.query('select pg_terminate_backend($1)', [before]);
    await waitFor('the listener to notice', () => errors.some(({ stage }) => stage === 'watch'));
    await setRollout(writer, 'pilot', { percent: 40, actor: 'ana', reason: 'while the listener was down' });
    await waitFor('the change made meanwhile', () => rolloutOf(bucketry, 'pilot') === 40);
    const after = await listenerPids();
    expect(after).toHaveLength(1);
    expect(after[0]).not.toBe(before);

    // And it listens again: the next change is pushed.
    await setRollout(writer, 'pilot', { percent: 45, actor: 'ana' });
    await waitFor('the next push', () => rolloutOf(bucketry, 'pilot') === 45);
  });

  it('falls back to polling when no push arrives', async () => {
    const store = createPostgresStore({ connectionString: POSTGRES_URL, schema });
    const deaf = { ...store, watch: () => async () => {} }; // as if every NOTIFY were lost
    const { bucketry } = await startSource(deaf, { pollInterval: 100 });
    await setRollout(writer, 'skill_tree_layout', { percent: 60, actor: 'ana' });
    await waitFor('the polled 60%', () => rolloutOf(bucketry) === 60);
  });

  it('keeps the last good set and marks it stale when the store holds an invalid config, then recovers', async () => {
    await setRollout(writer, 'skill_tree_layout', { percent: 15, actor: 'ana' });
    const { bucketry, errors } = await startSource(createPostgresStore({ connectionString: POSTGRES_URL, schema }), { retryDelay: 50 });
    expect(rolloutOf(bucketry)).toBe(15);

    const bad = { key: 'skill_tree_layout', variants: ['tree'] };
    await admin.query(`update "${schema}".rollouts set config = $1, rollout = 20, version = version + 1 where experiment = 'skill_tree_layout'`, [bad]);
    await waitFor('the stale mark', () => bucketry.status().stale);
    expect(bucketry.status().staleReason).toContain('postgres sent an invalid set');
    expect(String(bucketry.status().lastError)).toContain('experiments[0].variants must be an array of at least 2 variant names');
    expect(rolloutOf(bucketry)).toBe(15);
    expect(errors.some(({ stage }) => stage === 'invalid')).toBe(true);

    await admin.query(`update "${schema}".rollouts set config = null, version = version + 1 where experiment = 'skill_tree_layout'`);
    await waitFor('the repaired set', () => rolloutOf(bucketry) === 20 && !bucketry.status().stale);
  });
});
