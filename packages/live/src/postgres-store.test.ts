import { afterAll } from 'vitest';
import { createPostgresStore } from './postgres-store.js';
import { describeStoreContract } from './test-support/store-contract.js';
import { POSTGRES_URL, dropSchema, uniqueName } from './test-support/services.js';

const schema = uniqueName('live_store');
afterAll(() => dropSchema(schema));

describeStoreContract('postgres', () => createPostgresStore({ connectionString: POSTGRES_URL, schema }));
