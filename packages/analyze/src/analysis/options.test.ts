import { describe, expect, it } from 'vitest';
import { mixtureSpread } from '@bucketry/stats';
import { AnalyzeOptionsError } from './options-error.js';
import { resolveOptions, type AnalyzeOptions } from './options.js';

const SKILL_TREE = { experiment: 'skill_tree_layout', variants: ['tree', 'list'] };

describe('resolveOptions', () => {
  it('fills in the documented defaults', () => {
    expect(resolveOptions(SKILL_TREE)).toEqual({
      ...SKILL_TREE,
      weights: [1, 1],
      metrics: [],
      trackedEvents: [],
      valueSeries: [],
      values: [],
      ratios: [],
      funnels: [],
      onSignificantHarm: 'hold',
      guardrails: [],
      srm: { failBelow: 0.001, warnBelow: 0.01, onFail: 'hold', test: 'chi-square' },
      intervalMs: undefined,
      balanceTolerancePoints: undefined,
      balanceMinUnits: undefined,
      configVersion: undefined,
      confidence: 0.95,
      sequential: { decides: false, horizon: 10_000, spread: mixtureSpread(1 - 0.95, 10_000) },
      strict: false,
      maxBadLineExamples: 20,
      threads: 0,
      segments: [],
      segmentMinUnits: 100,
      cupedWindowMs: undefined,
    });
  });

  it('tunes the always-valid tests to the confidence and horizon given, and lets them decide when asked', () => {
    expect(resolveOptions({ ...SKILL_TREE, sequential: true, sequentialHorizon: 50_000, confidence: 0.9 }).sequential).toEqual({
      decides: true,
      horizon: 50_000,
      spread: mixtureSpread(1 - 0.9, 50_000),
    });
  });

  it('tracks the success metrics first, then the events rate and non-inferiority guardrails count, each once', () => {
    const resolved = resolveOptions({
      ...SKILL_TREE,
      metrics: ['purchase', 'session_started_from_tree', 'purchase'],
      guardrails: [
        { type: 'rate', metric: 'skill_tree_error', hold: 0.02, rollback: 0.05 },
        { type: 'percentile', event: 'skill_tree_loaded', percentile: 95, hold: 5000, rollback: 10_000 },
        { type: 'non-inferiority', metric: 'session_started_from_tree', margin: 0.05 },
      ],
    });
    expect([resolved.metrics, resolved.trackedEvents]).toEqual([
      ['purchase', 'session_started_from_tree'],
      ['purchase', 'session_started_from_tree', 'skill_tree_error'],
    ]);
  });

  it('keeps each series of numbers once, however many values, ratios and guardrails name it', () => {
    const tokens = { event: 'llm_call', property: 'tokens' };
    const calls = { event: 'llm_call' };
    const resolved = resolveOptions({
      ...SKILL_TREE,
      values: [tokens, { ...tokens }, calls],
      ratios: [{ numerator: tokens, denominator: calls }],
      guardrails: [{ type: 'mean', event: 'llm_call', property: 'tokens', hold: 400, rollback: 500 }],
    });
    expect(resolved.valueSeries).toEqual([tokens, calls]);
    expect(resolved.values).toEqual([0, 1]);
    expect(resolved.ratios).toEqual([{ numerator: 0, denominator: 1 }]);
  });

  it.each<[Partial<AnalyzeOptions>, string]>([
    [{ experiment: '' }, 'experiment is "", must be a non-empty string'],
    [{ variants: ['a'] }, 'variants is ["a"], must list 2 to 32 variants, control first'],
    [{ variants: Array.from({ length: 33 }, (_, i) => `v${i}`) }, 'must list 2 to 32 variants, control first'],
    [{ variants: ['a', 'a'] }, 'variants[1] is "a", must be unique'],
    [{ weights: [1] }, 'weights is [1], must be 2 numbers >= 0 (one per variant, control first), not all 0'],
    [{ weights: [0, 0] }, 'weights is [0,0], must be 2 numbers >= 0'],
    [{ intervalMs: 999 }, 'intervalMs is 999, must be at least 1000 (one second)'],
    [{ confidence: 1 }, 'confidence is 1, must be between 0 and 1'],
    [{ balanceMinUnits: 0.5 }, 'balanceMinUnits is 0.5, must be a whole number >= 1'],
    [{ threads: 17 }, 'threads is 17, must be a whole number from 0 to 16'],
    [{ balanceTolerancePoints: 0 }, 'balanceTolerancePoints is 0, must be above 0 and at most 100'],
    [{ onSignificantHarm: 'proceed' as 'hold' }, 'onSignificantHarm is "proceed", must be "hold" or "rollback"'],
    [{ sequential: 'yes' as unknown as boolean }, 'sequential is "yes", must be true or false'],
    [{ sequentialHorizon: 0 }, 'sequentialHorizon is 0, must be a whole number of units >= 1'],
  ])('refuses %j, naming the option, the value and the rule', (bad, message) => {
    expect(() => resolveOptions({ ...SKILL_TREE, ...bad })).toThrow(message);
    expect(() => resolveOptions({ ...SKILL_TREE, ...bad })).toThrow(AnalyzeOptionsError);
  });
});
