import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { formatText } from '../format/text.js';
import { analyzeStream } from './analyze.js';
import type { AnalyzeOptions } from './options.js';

const OPTIONS: AnalyzeOptions = { experiment: 'skill_tree_layout', variants: ['tree', 'list'] };
const at = (minute: number) => new Date(Date.UTC(2025, 5, 2, 8, minute)).toISOString();
const exposure = (user: string, variant: string, version: string, minute: number) =>
  JSON.stringify({ event: 'experiment_exposure', userId: user, properties: { experiment: 'skill_tree_layout', variant, configVersion: version }, timestamp: at(minute) });
const loaded = (user: string, minute: number) => JSON.stringify({ event: 'skill_tree_loaded', userId: user, properties: { duration_ms: 700 }, timestamp: at(minute) });

const analyse = (lines: string[], options: Partial<AnalyzeOptions> = {}) => analyzeStream(Readable.from([Buffer.from(lines.join('\n'))]), { ...OPTIONS, ...options });

describe('durations not attributed', () => {
  const lines = [
    exposure('old-1', 'tree', 'v1', 0),
    exposure('old-2', 'list', 'v1', 0),
    exposure('new-1', 'tree', 'v2', 1),
    exposure('new-2', 'list', 'v2', 1),
    loaded('old-1', 2), // exposed under v1 only: left out by --config-version v2
    loaded('old-2', 2),
    loaded('nobody', 2), // never exposed
    loaded('new-1', 0), // before its unit's exposure
    exposure('both', 'tree', 'v2', 1),
    exposure('both', 'list', 'v2', 1),
    loaded('both', 3), // in two variants by then
    loaded('new-2', 3), // attributed
  ];

  it('say which were left out by the config version, apart from those of units not exposed, in two variants or timed before exposure', async () => {
    const report = await analyse(lines, { configVersion: 'v2' });
    expect(report.input.unattributedDurations).toBe(5);
    expect(report.input.unattributedDurationReasons).toEqual({ otherConfigVersion: 2, notExposed: 1, inSeveralVariants: 1, beforeExposure: 1 });
    expect(formatText(report)).toContain(
      '\n  5 durations not attributed: 2 of units exposed only under other config versions (left out by --config-version v2), 1 of a unit not exposed (yet), 1 of a unit in several variants, 1 from before its unit\'s first exposure\n',
    );
  });

  it('keep the counts the analysis reports about units as they were: the units of other versions are neither exposed nor unexposed', async () => {
    const report = await analyse(lines, { configVersion: 'v2' });
    expect(report.variants.map((v) => v.units)).toEqual([1, 1]);
    expect(report.input.unexposedUnits).toBe(0);
    const pooled = await analyse(lines);
    expect(pooled.input.unattributedDurationReasons).toEqual({ otherConfigVersion: 0, notExposed: 1, inSeveralVariants: 1, beforeExposure: 1 });
  });
});
