// A mixed export for the SQL engines' equality tests: Segment, Amplitude and Bucketry lines,
// units in several variants, config versions, duplicates by event id, and bad lines of every kind.
import { at, exposure, SKILL_TREE, track } from '../analysis/hand-written-export.test-helper.js';
import type { AnalyzeOptions } from '../analysis/options.js';

const amplitudeExposure = (user: string, variant: string, minutes: number, extra: Record<string, unknown> = {}) =>
  JSON.stringify({ event_type: '$exposure', user_id: user, event_time: at(minutes).replace('T', ' ').replace('Z', '000'), event_properties: { flag_key: 'skill_tree_layout', variant, ...extra } });
const amplitudeTrack = (user: string, event: string, minutes: number, extra: Record<string, unknown> = {}) =>
  JSON.stringify({ event_type: event, user_id: user, time: Date.parse(at(minutes)), ...extra });

/** Mixed Segment, Amplitude and Bucketry lines: units in several variants, config versions, duplicates, bad lines of every kind. */
export const MIXED_EXPORT = [
  exposure('u1', 'tree', 0, { configVersion: 'v1' }),
  exposure('u2', 'list', 1, { configVersion: 'v2' }),
  amplitudeExposure('a1', 'tree', 2, { configVersion: 7 }),
  amplitudeExposure('a2', 'list', 2.5),
  JSON.stringify({ event: 'experiment_exposure', unit: 'b1', experiment: 'skill_tree_layout', variant: 'list', timestamp: at(3), eventId: 'e-b1' }),
  JSON.stringify({ event: 'experiment_exposure', unit: 'b1', experiment: 'skill_tree_layout', variant: 'list', timestamp: at(3), eventId: 'e-b1' }),
  exposure('u3', 'tree', 4),
  exposure('u3', 'list', 5),
  exposure('u4', 'tree', 6, { configVersion: 'v1' }),
  track('u1', 'skill_unlocked', 7),
  track('u4', 'skill_unlocked', 5),
  amplitudeTrack('a2', 'skill_unlocked', 8, { insert_id: 'i-1' }),
  amplitudeTrack('a2', 'skill_unlocked', 8, { insert_id: 'i-1' }),
  track('u9', 'skill_unlocked', 9),
  JSON.stringify({ event: 'experiment_exposure', userId: 'o1', properties: { experiment: 'other_test', variant: 'x' }, timestamp: at(9) }),
  '',
  '   ',
  '{"event":"page_view","userId":"u1","timestamp":"2025-06-02T08:10:00.000Z"}',
  'not json at all',
  '{"event":"experiment_exposure","userId":"u5","properties":{"experiment":"skill_tree_layout","variant":"tree"}',
  JSON.stringify({ event: 'experiment_exposure', userId: 'u6', properties: { experiment: 'skill_tree_layout', variant: 'grid' }, timestamp: at(10) }),
  JSON.stringify({ event: 'experiment_exposure', userId: 'u7', properties: { experiment: 'skill_tree_layout', variant: 'tree' }, timestamp: 'yesterday' }),
  JSON.stringify({ event: 'experiment_exposure', properties: { experiment: 'skill_tree_layout', variant: 'tree' }, timestamp: at(11) }),
  JSON.stringify({ event: 'experiment_exposure', userId: 'u8', properties: { experiment: 'skill_tree_layout', variant: 'tree' }, timestamp: '2025-06-02T08:12:00+02:00' }),
  JSON.stringify({ event: 'experiment_exposure', userId: 12.5, properties: { experiment: 'skill_tree_layout', variant: 'list' }, timestamp: at(12) }),
  JSON.stringify({ event: 'experiment_exposure', userId: 77, properties: { experiment: 'skill_tree_layout', variant: 'list' }, timestamp: 1748851980 }),
  JSON.stringify({ event: 'skill_unlocked', userId: 'u2', properties: [], timestamp: at(13) }),
  JSON.stringify({ event: 'experiment_exposure', userId: 'é\u00e9', properties: { experiment: 'skill_tree_layout', variant: 'tree' }, timestamp: '2025-06-02 08:14:00.123456' }),
];

export const MIXED_OPTIONS: AnalyzeOptions = { ...SKILL_TREE, metrics: ['skill_unlocked'] };

