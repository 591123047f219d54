import { describe, expect, it } from 'vitest';
import { parseGuardrailSpec } from './guardrail-spec.js';
import { validateGuardrail, validatePolicy } from './policy.js';

describe('validatePolicy', () => {
  it('accepts a full policy and fills guardrail defaults', () => {
    const policy = validatePolicy({
      name: 'checkout smoke',
      experiment: 'checkout_v2',
      variants: ['old', 'new'],
      weights: [95, 5],
      metrics: ['purchase'],
      guardrails: [
        { type: 'non-inferiority', metric: 'purchase', margin: 0.05 },
        { type: 'rate', metric: 'checkout_error', hold: 0.02, rollback: 0.05 },
        { type: 'percentile', event: 'checkout_loaded', percentile: 95, hold: 5000, rollback: 10000 },
      ],
      srm: { failBelow: 0.0001, onFail: 'rollback', test: 'sequential' },
      sequential: true,
      sequentialHorizon: 40_000,
      values: [{ event: 'llm_call', property: 'cost_usd' }],
      funnels: [['add_to_cart', 'checkout', 'purchase']],
      ratios: [{ numerator: { event: 'cache_lookup', property: 'hit' }, denominator: { event: 'cache_lookup' } }],
      balance: { tolerancePoints: 4, minUnits: 50 },
    });
    expect([policy.sequential, policy.sequentialHorizon]).toEqual([true, 40_000]);
    expect(policy.values).toEqual([{ event: 'llm_call', property: 'cost_usd' }]);
    expect(policy.funnels).toEqual([['add_to_cart', 'checkout', 'purchase']]);
    expect(policy.ratios).toEqual([{ numerator: { event: 'cache_lookup', property: 'hit' }, denominator: { event: 'cache_lookup' } }]);
    expect(policy.guardrails![0]).toEqual({ type: 'non-inferiority', metric: 'purchase', margin: 0.05, direction: 'higher-is-better', alpha: 0.05 });
    expect(policy.srm).toEqual({ failBelow: 0.0001, onFail: 'rollback', test: 'sequential' });
    expect(policy.balance).toEqual({ tolerancePoints: 4, minUnits: 50 });
  });

  it.each([
    [[], 'policy is [], must be an object'],
    [{ guardrail: [] }, 'guardrail is not a known field (known: name, description, experiment'],
    [{ variants: ['a'] }, 'variants is ["a"], must be an array of at least 2 names'],
    [{ variants: ['a', 'a'] }, 'variants[1] is "a", must be unique'],
    [{ variants: ['a', 'b'], weights: [1] }, 'weights is [1], must have one number per variant (2)'],
    [{ weights: [0, 0] }, 'weights is [0,0], must not all be 0'],
    [{ sequential: 'always' }, 'sequential is "always", must be true or false'],
    [{ sequentialHorizon: 1.5 }, 'sequentialHorizon is 1.5, must be a whole number of units >= 1'],
    [{ weights: [-1, 2] }, 'weights[0] is -1, must be a number >= 0'],
    [{ guardrails: [{ type: 'ratio' }] }, 'guardrails[0].type is "ratio", must be "non-inferiority", "rate", "percentile", "mean" or "relative-change"'],
    [{ guardrails: [{ type: 'non-inferiority', metric: 'm', margin: 5 }] }, 'guardrails[0].margin is 5, must be a relative margin from 0 to 1 (0.05 is 5%)'],
    [{ guardrails: [{ type: 'non-inferiority', margin: 0.05 }] }, 'guardrails[0].metric is missing, must be a non-empty string'],
    [{ guardrails: [{ type: 'non-inferiority', metric: 'm', margin: 0.05, direction: 'up' }] }, 'guardrails[0].direction is "up", must be'],
    [{ guardrails: [{ type: 'rate', metric: 'e', hold: 0.05, rollback: 0.02 }] }, 'guardrails[0].hold (0.05) must not be above guardrails[0].rollback (0.02)'],
    [{ guardrails: [{ type: 'rate', metric: 'e', hold: 0.02, rollback: 0.05, margin: 1 }] }, 'guardrails[0].margin is not a known field'],
    [{ guardrails: [{ type: 'percentile', event: 'e', percentile: 150, hold: 1, rollback: 2 }] }, 'guardrails[0].percentile is 150, must be a number between 0 and 100'],
    [{ srm: { onFail: 'panic' } }, 'srm.onFail is "panic", must be "proceed", "hold" or "rollback"'],
    [{ srm: { test: 'bayes' } }, 'srm.test is "bayes", must be "chi-square" or "sequential"'],
    [{ srm: { failBelow: 0.05 } }, 'srm.failBelow (0.05) must not be above srm.warnBelow (0.01)'],
    [{ balance: { minUnits: 0 } }, 'balance.minUnits is 0, must be a whole number >= 1'],
    [{ values: [{ event: 'llm_call', property: '' }] }, 'values[0].property is "", must be a non-empty string'],
    [{ funnels: [['cart']] }, 'funnels[0] is ["cart"], must be an array of at least 2 names'],
    [{ funnels: [['cart', 'cart']] }, 'funnels[0] is ["cart","cart"], must name different events'],
    [{ values: [{ event: 'llm_call', field: 'cost' }] }, 'values[0].field is not a known field'],
    [{ ratios: [{ numerator: { event: 'a', property: 'hit' } }] }, 'ratios[0].denominator is missing, must be an object'],
    [{ guardrails: [{ type: 'relative-change', event: 'e', property: 'p', max: -0.3, statistic: 'median' }] }, 'guardrails[0].statistic is "median", must be "sum" or "mean"'],
  ])('refuses %j: %s', (input, message) => {
    expect(() => validatePolicy(input)).toThrow(message);
  });

  it('validateGuardrail names the field it was given', () => {
    expect(() => validateGuardrail({ type: 'rate', metric: 'e', hold: 2, rollback: 5 }, 'x')).toThrow('x.hold is 2, must be a number from 0 to 1 (0.05 is 5%)');
  });
});

describe('parseGuardrailSpec', () => {
  it('reads the three forms', () => {
    expect(parseGuardrailSpec('noninferior:session_started_from_tree:5%')).toEqual({
      type: 'non-inferiority',
      metric: 'session_started_from_tree',
      margin: 0.05,
      direction: 'higher-is-better',
      alpha: 0.05,
    });
    expect(parseGuardrailSpec('noninferior:skill_tree_error:0.1:lower-is-better')).toMatchObject({ margin: 0.1, direction: 'lower-is-better' });
    expect(parseGuardrailSpec('rate:skill_tree_error:2%:5%')).toEqual({ type: 'rate', metric: 'skill_tree_error', hold: 0.02, rollback: 0.05 });
    expect(parseGuardrailSpec('p95:skill_tree_loaded:5s:10s')).toEqual({ type: 'percentile', event: 'skill_tree_loaded', percentile: 95, hold: 5000, rollback: 10000 });
    expect(parseGuardrailSpec('p50:x:800ms:1200')).toMatchObject({ percentile: 50, hold: 800, rollback: 1200 });
  });

  it('reads the forms on a numeric property: a level of the units\' means, a bound on the relative change (split at the last dot)', () => {
    expect(parseGuardrailSpec('mean:llm_call.cost_usd:0.02:0.05')).toEqual({ type: 'mean', event: 'llm_call', property: 'cost_usd', hold: 0.02, rollback: 0.05 });
    expect(parseGuardrailSpec('lift:llm_call.cost_usd:-35%')).toEqual({ type: 'relative-change', event: 'llm_call', property: 'cost_usd', max: -0.35, statistic: 'sum', alpha: 0.05 });
    expect(parseGuardrailSpec('lift:app.llm_call.tokens:0.1:mean')).toMatchObject({ event: 'app.llm_call', property: 'tokens', max: 0.1, statistic: 'mean' });
  });

  it.each([
    ['ratio:x:1:2', '"ratio:x:1:2" starts with "ratio"; the forms are noninferior:<metric>:<margin>[:lower-is-better]'],
    ['rate', '"rate" names no metric or event'],
    ['rate:e:2%', '"rate:e:2%": rollback is missing, must be a percentage like 5% or a fraction like 0.05'],
    ['rate:e:two:5%', '"rate:e:two:5%": hold is "two", must be a percentage'],
    ['rate:e:5%:2%', '"rate:e:5%:2%": hold (0.05) must not be above'],
    ['p95:e:5s:10s:20s', '"p95:e:5s:10s:20s" has 1 part(s) too many'],
    ['p95:e:fast:10s', '"p95:e:fast:10s": hold is "fast", must be a duration like 5s'],
    ['noninferior:m:5%:sideways', '"noninferior:m:5%:sideways": direction is "sideways"'],
    ['noninferior:m:500%', '"noninferior:m:500%": margin is 5, must be a relative margin from 0 to 1'],
    ['mean:llm_call:1:2', '"llm_call" names no property: write <event>.<property>, e.g. llm_call.cost_usd'],
    ['mean:llm_call.cost_usd:cheap:2', '"mean:llm_call.cost_usd:cheap:2": hold is "cheap", must be a number'],
    ['mean:llm_call.cost_usd:2:1', 'hold (2) must not be above'],
    ['lift:llm_call.cost_usd:-35%:median', '"lift:llm_call.cost_usd:-35%:median": statistic is "median", must be sum or mean'],
    ['lift:llm_call.cost_usd:-150%', 'max is -1.5, must be a relative change above -1'],
  ])('refuses %s', (spec, message) => {
    expect(() => parseGuardrailSpec(spec)).toThrow(message);
  });
});
