import { afterAll } from 'vitest';
import { createRedisStore } from './redis-store.js';
import { describeStoreContract } from './test-support/store-contract.js';
import { REDIS_URL, deleteKeys, uniqueName } from './test-support/services.js';

const prefix = `${uniqueName('live_store')}:`;
afterAll(() => deleteKeys(prefix));

describeStoreContract('redis', () => createRedisStore({ url: REDIS_URL, prefix }));
