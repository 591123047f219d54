import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { analyzeStream } from '../analysis/analyze.js';
import { liftChart } from './svg-charts.js';

/** A report on one metric with these units and conversions per arm (control `tree`, treatment `list`). */
async function reportOf(units: [number, number], conversions: [number, number]) {
  const lines: string[] = [];
  ['tree', 'list'].forEach((variant, v) => {
    for (let i = 0; i < units[v]!; i++) {
      const userId = `${variant}-${i}`;
      lines.push(JSON.stringify({ event: 'experiment_exposure', userId, properties: { experiment: 'skill_tree_layout', variant }, timestamp: '2025-06-02T08:00:00.000Z' }));
      if (i < conversions[v]!) lines.push(JSON.stringify({ event: 'purchase', userId, properties: {}, timestamp: '2025-06-02T08:01:00.000Z' }));
    }
  });
  return analyzeStream(Readable.from([Buffer.from(lines.join('\n'))]), { experiment: 'skill_tree_layout', variants: ['tree', 'list'], metrics: ['purchase'] });
}

describe('liftChart', () => {
  it('draws the interval of a treatment without events as a line from −100% up, not as a dot at −100%', async () => {
    const report = await reportOf([5, 5], [1, 0]);
    const svg = liftChart(report);
    // The interval is the one line in the series colour drawn with stroke-width 2 between two different x.
    const [, x1, x2] = /<line x1="([\d.]+)" x2="([\d.]+)" y1="([\d.]+)" y2="\3" stroke="#2563eb" stroke-width="2"\/>/.exec(svg)!;
    expect(Number(x2) - Number(x1)).toBeGreaterThan(100);
    const relative = report.metrics[0]!.comparisons[0]!.relativeLift!;
    expect(svg).toContain(`purchase: list vs tree: −100.0% [−100.0%, +${(relative.high * 100).toFixed(1)}%]`);
  });
});
