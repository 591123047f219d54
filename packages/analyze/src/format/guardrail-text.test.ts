import { describe, expect, it } from 'vitest';
import type { GuardrailArm } from '../analysis/guardrail-arm.js';
import type { GuardrailResult } from '../analysis/guardrails.js';
import { parseGuardrailSpec } from '../policy/guardrail-spec.js';
import type { Guardrail } from '../policy/policy.js';
import { armText, boundsLevel, guardrailDetail, guardrailLabel, notMeasuredText } from './guardrail-text.js';

const bounds = (variant: string, outcome: GuardrailArm['outcome'], estimate: number, lower: number, upper: number, alwaysValid = false): GuardrailArm => ({
  variant,
  outcome,
  value: null,
  reading: { kind: 'bounds', estimate, lower, upper, alpha: 0.05, alwaysValid },
});

describe('guardrailLabel', () => {
  it('says what each guardrail requires', () => {
    expect(guardrailLabel(parseGuardrailSpec('noninferior:session_started_from_tree:5%'))).toBe('session_started_from_tree not more than 5% below control');
    expect(guardrailLabel(parseGuardrailSpec('noninferior:checkout_error:10%:lower-is-better'))).toBe('checkout_error not more than 10% above control');
    expect(guardrailLabel(parseGuardrailSpec('rate:skill_tree_error:2%:5%'))).toBe('skill_tree_error rate below 2.0% (rollback above 5.0%)');
    expect(guardrailLabel(parseGuardrailSpec('p95:skill_tree_loaded:1s:1.5s'))).toBe('p95 skill_tree_loaded below 1 s (rollback above 1.5 s)');
    expect(guardrailLabel(parseGuardrailSpec('mean:llm_call.tokens:400:500'))).toBe('mean llm_call.tokens per unit below 400 (rollback above 500)');
    expect(guardrailLabel(parseGuardrailSpec('lift:llm_call.tokens:-10%'))).toBe('llm_call.tokens per unit (total) at most −10.0% against control');
  });
});

describe('armText', () => {
  const margin: Guardrail = { type: 'non-inferiority', metric: 'm', margin: 0.1 };
  const errors: Guardrail = { type: 'non-inferiority', metric: 'e', margin: 0.05, direction: 'lower-is-better' };
  const tokens = parseGuardrailSpec('lift:llm_call.tokens:-10%');

  it('words a relative lift by its bounds, on the side the guardrail judges, at its level', () => {
    expect(armText(bounds('a', 'hold', 0, -0.122, 0.14, true), margin, 'control')).toBe('a vs control: relative lift 0.0%, always-valid 95% lower bound −12.2% is not above −10.0% yet');
    expect(armText(bounds('a', 'hold', -1, -1, 0.5), { ...margin, margin: 0.05 }, 'control')).toBe('a vs control: relative lift −100.0%, 95% one-sided lower bound −100.0% is not above −5.0% yet');
    expect(armText(bounds('b', 'proceed', -0.02, -0.03, 0.1), { ...margin, margin: 0.05 }, 'c')).toBe('b vs c: relative lift −2.0%, 95% one-sided lower bound −3.0% > −5.0%');
    expect(armText(bounds('b', 'rollback', -0.3, -0.4, -0.2), { ...margin, margin: 0.05 }, 'c')).toBe('b vs c: relative lift −30.0%, 95% one-sided even the upper bound −20.0% is below −5.0%');
    expect(armText(bounds('b', 'rollback', 0.14, 0.08, 0.2), errors, 'c')).toBe('b vs c: relative lift +14.0%, 95% one-sided even the lower bound +8.0% is above +5.0%');
    expect(armText(bounds('b', 'hold', 0.02, -0.02, 0.07), errors, 'c')).toBe('b vs c: relative lift +2.0%, 95% one-sided upper bound +7.0% is not below +5.0% yet');
  });

  it('words a relative change of a numeric property the same way, below its limit', () => {
    expect(armText(bounds('small', 'proceed', -0.218, -0.31, -0.128), tokens, 'large')).toBe('small vs large: relative change −21.8%, 95% one-sided upper bound −12.8% < −10.0%');
    expect(armText(bounds('small', 'hold', -0.218, -0.45, 0.004, true), tokens, 'large')).toBe('small vs large: relative change −21.8%, always-valid 95% upper bound +0.4% is not below −10.0% yet');
  });

  it('words rates, percentiles and means with their counts', () => {
    expect(armText({ variant: 'list', outcome: 'proceed', value: 0.0125, reading: { kind: 'rate', rate: 0.0125, conversions: 5, units: 400 } }, parseGuardrailSpec('rate:e:2%:5%'), 'tree')).toBe('list: 1.25% of units (5/400)');
    expect(armText({ variant: 'list', outcome: 'hold', value: 6700, reading: { kind: 'percentile', value: 6700, events: 812 } }, parseGuardrailSpec('p95:loaded:5s:10s'), 'tree')).toBe('list: p95 6.7 s over 812 events');
    expect(armText({ variant: 'list', outcome: 'hold', value: 411.9, reading: { kind: 'mean', mean: 411.9, units: 380 } }, parseGuardrailSpec('mean:llm_call.tokens:400:500'), 'tree')).toBe(
      "list: mean 411.9 over 380 units (each unit's mean)",
    );
  });

  it('says why a side could not be judged', () => {
    const notJudged = (why: Extract<GuardrailArm['reading'], { kind: 'not-judged' }>['why']): GuardrailArm => ({ variant: 'a', outcome: 'hold', value: null, reading: { kind: 'not-judged', why } });
    expect(armText(notJudged('no-control-conversions'), margin, 'control')).toBe('a vs control: too few events to judge: control has no m conversions, so the relative lift does not exist yet');
    expect(armText(notJudged('no-units'), margin, 'control')).toBe('a vs control: cannot compare, an arm has no units');
    expect(armText(notJudged('no-units'), parseGuardrailSpec('rate:e:2%:5%'), 'control')).toBe('a: no units yet');
    expect(armText(notJudged('no-durations'), parseGuardrailSpec('p95:loaded:5s:10s'), 'control')).toBe('a: no loaded durations yet');
    expect(armText(notJudged('no-values'), parseGuardrailSpec('mean:llm_call.tokens:400:500'), 'control')).toBe('a: no llm_call.tokens values yet');
    expect(armText(notJudged('too-few-units'), tokens, 'control')).toBe("a vs control: too few units to judge (control's mean is 0, or an arm has under 2 units)");
  });
});

describe('boundsLevel, notMeasuredText and guardrailDetail', () => {
  it('name the level, what is missing, and every side', () => {
    expect(boundsLevel(0.05, false)).toBe('95% one-sided');
    expect(boundsLevel(0.1, true)).toBe('always-valid 90%');
    expect(notMeasuredText(parseGuardrailSpec('rate:skill_tree_error:2%:5%'))).toBe('no skill_tree_error events in the export');
    expect(notMeasuredText(parseGuardrailSpec('p95:skill_tree_loaded:5s:10s'))).toBe('no skill_tree_loaded events with a duration in the export');
    expect(notMeasuredText(parseGuardrailSpec('mean:llm_call.cost_usd:1:2'))).toBe('no llm_call events with a numeric cost_usd in the export');
    const rate = parseGuardrailSpec('rate:e:2%:5%');
    const unmeasured: GuardrailResult = { guardrail: rate, measured: false, outcome: 'proceed', arms: [] };
    expect(guardrailDetail(unmeasured, 'tree')).toBe('no e events in the export');
    const arm = (variant: string, rateValue: number): GuardrailArm => ({ variant, outcome: 'proceed', value: rateValue, reading: { kind: 'rate', rate: rateValue, conversions: 1, units: 100 } });
    expect(guardrailDetail({ guardrail: rate, measured: true, outcome: 'proceed', arms: [arm('a', 0.01), arm('b', 0.01)] }, 'tree')).toBe('a: 1.00% of units (1/100); b: 1.00% of units (1/100)');
  });
});
