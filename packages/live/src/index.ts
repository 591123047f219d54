export { mergeRollouts, type MergedSet } from './merge.js';
export type { RolloutRecord, RolloutSnapshot, RolloutChange } from './record.js';
