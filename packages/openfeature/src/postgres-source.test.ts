import { createBucketry, type ExperimentJSON } from '@bucketry/core';
import { createPostgresStore, createStoreSource, setRollout, type LiveSource } from '@bucketry/live';
import { OpenFeature, ProviderEvents } from '@openfeature/server-sdk';
import pg from 'pg';
import { afterAll, expect, it } from 'vitest';
import { POSTGRES_URL, postgresKit, uniqueName } from '../../../test-support/postgres-kit.js';
import { BucketryProvider } from './index.js';
import { newDomain } from './test-support/flags.js';

// The real PostgreSQL (scripts/ensure-services.mjs), a schema of this file's own: a rollout written
// by setRollout reaches OpenFeature through LISTEN/NOTIFY as PROVIDER_CONFIGURATION_CHANGED.
const { dropSchema } = postgresKit(pg);
const schema = uniqueName('openfeature_pg');
let source: LiveSource | undefined;
afterAll(async () => {
  await source?.close();
  await OpenFeature.close();
  await dropSchema(schema);
});

const BASE: ExperimentJSON[] = [{ key: 'new_checkout', variants: ['off', 'on'], rollout: 0, values: { off: false, on: true } }];

it('a rollout written to the PostgreSQL store reaches OpenFeature as a configuration change, and the flag follows it', async () => {
  const writer = createPostgresStore({ connectionString: POSTGRES_URL, schema });
  try {
    await setRollout(writer, 'new_checkout', { percent: 0, actor: 'ana' });
    const bucketry = createBucketry({ experiments: BASE });
    source = createStoreSource(bucketry, createPostgresStore({ connectionString: POSTGRES_URL, schema }), { base: BASE, pollInterval: 600_000, onError: () => {} });
    const domain = newDomain();
    await OpenFeature.setProviderAndWait(domain, new BucketryProvider(bucketry, { ready: () => source!.start(), readyTimeout: 60_000, onError: () => {} }));
    const client = OpenFeature.getClient(domain);
    expect(await client.getBooleanDetails('new_checkout', true, { targetingKey: 'user-1' })).toMatchObject({ value: false, reason: 'DISABLED' });

    const changed = new Promise<unknown>((resolve) => client.addHandler(ProviderEvents.ConfigurationChanged, (details) => resolve(details?.flagsChanged)));
    await setRollout(writer, 'new_checkout', { percent: 100, actor: 'ana' }); // pushed by NOTIFY, no poll
    expect(await changed).toEqual(['new_checkout']);
    expect(await client.getBooleanDetails('new_checkout', false, { targetingKey: 'user-1' })).toMatchObject({ value: true, variant: 'on', reason: 'SPLIT' });
  } finally {
    await writer.close();
  }
});
