// The edge-safe entry: fetch only, no Node built-ins (its test builds it for the neutral platform).
export { createHttpSource, type HttpSourceOptions } from './http-source.js';
export { mergeRollouts, type MergedSet } from './merge.js';
export type { LiveSource, SourceOptions, SnapshotBackup } from './source-options.js';
export type { RolloutRecord, RolloutSnapshot } from './record.js';
