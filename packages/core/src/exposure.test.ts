import { describe, expect, it } from 'vitest';
import { assignVariant, type Assignment } from './assign.js';
import { eligibilityRule } from './eligibility.js';
import { defineExperiment, type ExperimentConfig } from './experiment.js';
import { EXPOSURE_EVENT, exposureFor } from './exposure.js';
import { defineHoldout } from './holdout.js';
import { layerSlice } from './layer.js';
import { fallbackAssignment, serverAssignment } from './outcome.js';
import { createMemoryStickyStore } from './sticky.js';

// The public exposureFor, called directly: the client checks inExperiment itself before calling
// it, so only these tests see what exposureFor does with an assignment that is not in the experiment.
const base: ExperimentConfig<'exp', 'tree' | 'list'> = { key: 'exp', variants: ['tree', 'list'], rollout: 100 };
const NOW = Date.UTC(2026, 10, 21, 10, 0, 0, 0);

/** A unit the layer slice [0, 0.0001) leaves out (almost every unit). */
const outOfSlice = (() => {
  const probe = defineExperiment({ ...base, layer: layerSlice({ name: 'l', range: [0, 0.0001] }) });
  for (let i = 0; ; i++) if (assignVariant(probe, `u${i}`).reason === 'layer') return `u${i}`;
})();

describe('the exposure event name', () => {
  it("is the literal 'experiment_exposure', on the constant and on every event", () => {
    expect(EXPOSURE_EVENT).toBe('experiment_exposure');
    const event = exposureFor(assignVariant(defineExperiment(base), 'user-1'), 'v1', NOW);
    expect(event?.event).toBe('experiment_exposure');
  });
});

describe('exposureFor', () => {
  it('builds the full event for a bucketed unit and for a sticky one', () => {
    const bucketed = assignVariant(defineExperiment(base), 'user-1');
    expect(exposureFor(bucketed, '3690faca', NOW)).toEqual({
      event: 'experiment_exposure',
      experiment: 'exp',
      variant: 'list',
      unit: 'user-1',
      reason: 'bucketed',
      bucket: bucketed.bucket,
      timestamp: '2026-11-21T10:00:00.000Z',
      configVersion: '3690faca',
      eventId: expect.stringMatching(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/),
    });
    const sticky = createMemoryStickyStore([{ unit: 'user-2', experiment: 'exp', variant: 'tree' }]);
    const kept = assignVariant(defineExperiment(base), 'user-2', undefined, { sticky });
    expect(exposureFor(kept, 'v2', NOW)).toMatchObject({ event: 'experiment_exposure', variant: 'tree', reason: 'sticky', bucket: -1, configVersion: 'v2' });
  });

  // Each assignment really has the reason named, so `undefined` below means exposureFor said no.
  const notInExperiment: [string, () => Assignment][] = [
    ['override (per call)', () => assignVariant(defineExperiment(base), 'qa-1', undefined, { override: 'list' })],
    ['override', () => assignVariant(defineExperiment({ ...base, overrides: { 'qa-1': 'list' } }), 'qa-1')],
    ['disabled', () => assignVariant(defineExperiment({ ...base, enabled: false }), 'user-1')],
    ['ineligible', () => assignVariant(defineExperiment({ ...base, eligibility: eligibilityRule({ region: { in: ['eu'] } }) }), 'user-1', { region: 'us' })],
    ['holdout', () => assignVariant(defineExperiment({ ...base, holdout: defineHoldout({ key: 'h', percent: 100 }) }), 'user-1')],
    ['layer', () => assignVariant(defineExperiment({ ...base, layer: layerSlice({ name: 'l', range: [0, 0.0001] }) }), outOfSlice)],
    ['traffic', () => assignVariant(defineExperiment({ ...base, traffic: 0 }), 'user-1')],
    ['missing_unit', () => assignVariant(defineExperiment(base), '')],
    ['error', () => assignVariant(defineExperiment(base), 'qa-1', undefined, { override: 'grid' as 'list' })],
    ['error', () => fallbackAssignment('exp', 'tree', new Error('lookup failed'), 'user-1')],
    ['server', () => serverAssignment(defineExperiment(base), 'list')!],
  ];

  it.each(notInExperiment)('returns undefined for an assignment with reason %s (not in the experiment)', (reason, make) => {
    const assignment = make();
    expect(assignment.reason).toBe(reason.replace(/ \(.*\)$/, ''));
    expect(assignment.inExperiment).toBe(false);
    expect(exposureFor(assignment, 'v1', NOW)).toBeUndefined();
  });
});
