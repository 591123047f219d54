// Exports written line by line for the analysis tests: Segment-style exposures and tracked events
// of skill_tree_layout, minutes after 2025-06-02 08:00 UTC.
import { Readable } from 'node:stream';
import { analyzeStream } from './analyze.js';
import type { AnalyzeOptions } from './options.js';

export const SKILL_TREE: AnalyzeOptions = { experiment: 'skill_tree_layout', variants: ['tree', 'list'] };

export const streamOf = (text: string | Buffer) => Readable.from([Buffer.from(text)]);
export const analyzeText = (lines: readonly string[], options: AnalyzeOptions = SKILL_TREE) => analyzeStream(streamOf(lines.join('\n') + '\n'), options);

const T0 = Date.UTC(2025, 5, 2, 8, 0, 0);
export const at = (minutes: number) => new Date(T0 + minutes * 60_000).toISOString();
export const exposure = (user: string, variant: string, minutes: number, extra: Record<string, unknown> = {}) =>
  JSON.stringify({ type: 'track', event: 'experiment_exposure', userId: user, properties: { experiment: 'skill_tree_layout', variant, configVersion: 'v1', ...extra }, timestamp: at(minutes) });
export const track = (user: string, event: string, minutes: number, properties: Record<string, unknown> = {}) =>
  JSON.stringify({ type: 'track', event, userId: user, properties, timestamp: at(minutes) });
