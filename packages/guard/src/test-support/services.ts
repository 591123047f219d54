import pg from 'pg';
import { POSTGRES_URL, postgresKit, uniqueName } from '../../../../test-support/postgres-kit.js';
import { REDIS_URL } from '../../../../test-support/scratch-stores.mjs';

export { POSTGRES_URL, REDIS_URL, uniqueName };
export const { dropSchema } = postgresKit(pg);
