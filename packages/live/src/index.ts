export { mergeRollouts, type MergedSet } from './merge.js';
export type { RolloutRecord, RolloutSnapshot, RolloutChange } from './record.js';
export { RolloutConflictError, type RolloutStore, type RolloutWrite } from './store.js';
export { setRollout, type RolloutChangeOptions } from './set-rollout.js';
export { createFileStore, type FileStoreOptions } from './file-store.js';
export { createPostgresStore, type PostgresStoreOptions } from './postgres-store.js';
export { migrate } from './postgres-schema.js';
export { createRedisStore, type RedisStoreOptions } from './redis-store.js';
