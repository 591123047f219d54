import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { analysisLines } from './demo-report.mjs';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
/** The CLI's JSON report on the sample export: a HOLD, its non-inferiority guardrail failed. */
const analyzeSample = () => {
  const args = [join(ROOT, 'packages/analyze/dist/cli.js'), 'analyze', join(ROOT, 'docs/experiments/sample_data/skill_tree_layout_sample.jsonl'), '--policy', 'smoke-10', '--format', 'json'];
  try {
    return JSON.parse(execFileSync(process.execPath, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }));
  } catch (error) {
    // Exit 1 is the HOLD; its report is on stdout all the same.
    return JSON.parse((error as { stdout: string }).stdout);
  }
};

describe("the demo's words for a report", () => {
  const report = analyzeSample();

  it('a failed guardrail: the rule, how far it missed, and the decision', () => {
    const lines = analysisLines(report, 'smoke-10');
    expect(lines[0]).toBe('bucketry analyze --policy smoke-10 says:');
    expect(lines).toContain('  Guardrails: 2 of 3 pass.');
    expect(lines.find((line) => line.includes('HOLD: session starts'))).toMatch(/^ {4}HOLD: session starts on list not more than 5% below tree, at worst −\d+\.\d%$/);
    expect(lines.at(-1)).toBe('  Decision: HOLD.');
    expect(lines.join('\n')).not.toMatch(/undefined|NaN|judged|buckets/);
  });

  it('the balance over time, in each of its cases', () => {
    const sentence = (balance: object) => analysisLines({ ...report, balance: { ...report.balance, ...balance } }, 'smoke-10')[2];
    expect(sentence({ intervalMs: 21_600_000, judgedBuckets: 0, flaggedBuckets: 0 })).toBe('  Over time: no 6-hour stretch had enough users to judge whether the split drifted.');
    expect(sentence({ intervalMs: 60_000, judgedBuckets: 1, flaggedBuckets: 0 })).toBe('  Over time: the split held steady in the one 1-minute stretch with enough users to judge.');
    expect(sentence({ intervalMs: 3_600_000, judgedBuckets: 4, flaggedBuckets: 0 })).toBe('  Over time: the split held steady in all 4 1-hour stretches with enough users to judge.');
    expect(sentence({ intervalMs: 3_600_000, judgedBuckets: 4, flaggedBuckets: 1 })).toBe('  Over time: the split drifted out of tolerance in 1 of 4 1-hour stretches.');
  });

  it('a sample ratio mismatch says what it means', () => {
    const line = analysisLines({ ...report, srm: { ...report.srm, status: 'fail', pValue: 0.0001 } }, 'smoke-10')[1];
    expect(line).toMatch(/^ {2}Split: tree 713 \(89\.2%\), list 86 \(10\.8%\), NOT what the 90\/10 rollout should give \(sample ratio check p = 0\.00\): assignment or logging is losing users\.$/);
  });
});
