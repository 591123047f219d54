import pg from 'pg';
import { POSTGRES_URL, postgresKit, uniqueName } from '../../../../test-support/postgres-kit.js';

export { POSTGRES_URL };
/** A schema no other test file or run uses. */
export const uniqueSchema = uniqueName;
export const { dropSchema, countingPool } = postgresKit(pg);
