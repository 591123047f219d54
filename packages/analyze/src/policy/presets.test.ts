import { describe, expect, it } from 'vitest';
import { validatePolicy } from './policy.js';
import { PRESETS } from './presets.js';

describe('PRESETS', () => {
  it.each(Object.entries(PRESETS))('%s is a valid policy that survives a JSON round trip', (name, preset) => {
    expect(preset.name).toBe(name);
    expect(validatePolicy(JSON.parse(JSON.stringify(preset)))).toEqual(preset);
  });

  it('match the runbooks: 90/10 smoke test, 50/50 ramp, 5 → 25 → 100 stages', () => {
    expect(PRESETS['smoke-10']!.weights).toEqual([90, 10]);
    expect(PRESETS['ramp-50']!.weights).toEqual([50, 50]);
    expect(['staged-5', 'staged-25', 'staged-100'].map((n) => PRESETS[n]!.weights)).toEqual([
      [95, 5],
      [75, 25],
      [0, 100],
    ]);
    // With no control left, a comparison with control cannot be a guardrail.
    expect(PRESETS['staged-100']!.guardrails!.map((g) => g.type)).toEqual(['rate', 'percentile']);
  });
});
