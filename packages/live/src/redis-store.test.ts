import { Redis } from 'ioredis';
import { afterAll } from 'vitest';
import { createRedisStore } from './redis-store.js';
import { describeStoreContract } from './test-support/store-contract.js';
import { REDIS_URL, uniqueName } from './test-support/services.js';

const prefix = `${uniqueName('live_store')}:`;
afterAll(async () => {
  const redis = new Redis(REDIS_URL);
  const keys = await redis.keys(`${prefix}*`);
  if (keys.length) await redis.del(...keys);
  await redis.quit();
});

describeStoreContract('redis', () => createRedisStore({ url: REDIS_URL, prefix }));
