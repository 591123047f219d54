// A mixed export for the SQL engines' equality tests: Segment, Amplitude and Bucketry lines,
// units in several variants, config versions, duplicates by event id, and bad lines of every kind.
import { at, exposure, SKILL_TREE, track } from '../analysis/hand-written-export.test-helper.js';
import type { AnalyzeOptions } from '../analysis/options.js';

const withMessageId = (line: string, messageId: string) => JSON.stringify({ ...(JSON.parse(line) as object), messageId });
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
  withMessageId(exposure('r1', 'tree', 3.5), 'm-r1'),
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
  track('u1', 'skill_tree_loaded', 15, { duration_ms: 812 }),
  track('u1', 'skill_tree_loaded', 15.5, { duration_ms: 640.25, latency_ms: 3 }),
  track('u2', 'skill_tree_loaded', 16, { latency_ms: 1200 }),
  track('u2', 'skill_unlocked', 16.5, { duration_ms: 75 }),
  track('u3', 'skill_tree_loaded', 17, { duration_ms: 500 }),
  track('u9', 'skill_tree_loaded', 17, { duration_ms: 500 }),
  track('u4', 'skill_tree_loaded', 1, { duration_ms: 300 }),
  track('u4', 'skill_tree_loaded', 18, { duration_ms: 1e3 }),
  track('u4', 'skill_tree_loaded', 18, { duration_ms: 'fast' }),
  track('u4', 'skill_tree_loaded', 18, { duration_ms: -4 }),
  '{"event":"skill_tree_loaded","userId":"u4","properties":{"duration_ms":2.5e2},"timestamp":"2025-06-02T08:19:00.000Z"}',
  amplitudeTrack('a1', 'skill_tree_loaded', 19, { event_properties: { duration_ms: 410 } }),
  exposure('u10', 'list', 20),
  // A retried delivery of r1's exposure, stamped later: the first one counts.
  withMessageId(exposure('r1', 'tree', 40), 'm-r1'),
  track('u10', 'skill_tree_loaded', 21, { duration_ms: 90 }),
  exposure('u10', 'tree', 22),
  track('u10', 'skill_tree_loaded', 23, { duration_ms: 95 }),
  JSON.stringify({ event: 'experiment_exposure', userId: 'é\u00e9', properties: { experiment: 'skill_tree_layout', variant: 'tree' }, timestamp: '2025-06-02 08:14:00.123456' }),
];

export const MIXED_OPTIONS: AnalyzeOptions = { ...SKILL_TREE, metrics: ['skill_unlocked'] };

