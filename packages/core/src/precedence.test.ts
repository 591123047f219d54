import { describe, expect, it } from 'vitest';
import { assignVariant } from './assign.js';
import { createBucketry } from './client.js';
import { eligibilityRule } from './eligibility.js';
import { ExperimentConfigError } from './errors.js';
import { defineExperiment, type ExperimentConfig } from './experiment.js';
import { defineHoldout } from './holdout.js';
import { layerSlice } from './layer.js';
import { fallbackAssignment, serverAssignment } from './outcome.js';
import { createMemorySink } from './sinks/memory-sink.js';
import { createMemoryStickyStore, type StickyStore } from './sticky.js';

// Each pair of checks that can both decide for one unit, and which wins (docs/spec.md §7).
const base: ExperimentConfig<'k', 'a' | 'b'> = { key: 'k', variants: ['a', 'b'], rollout: 100 };
const nobodyEligible = eligibilityRule({ plan: { in: ['pro'] } });
const everyoneHeldOut = defineHoldout({ key: 'h', percent: 100 });
const emptySlice = layerSlice({ name: 'l', range: [0, 0.0001] });
const recordOf = (variant: string): StickyStore => ({ get: () => variant, set: () => {} });

/** A unit that the layer slice [0, 0.0001) leaves out (almost every unit). */
const outOfSlice = (() => {
  const probe = defineExperiment({ ...base, layer: emptySlice });
  for (let i = 0; ; i++) if (assignVariant(probe, `u${i}`).reason === 'layer') return `u${i}`;
})();

describe('precedence (spec §7): which check wins when two could decide', () => {
  it.each([
    ['enabled: false', { enabled: false }],
    ['rollout 0', { rollout: 0 }],
  ])('%s beats the config override, a per-call override and a sticky record', (_name, kill) => {
    const experiment = defineExperiment({ ...base, ...kill, overrides: { qa: 'b' } });
    expect(assignVariant(experiment, 'qa').reason).toBe('disabled');
    expect(assignVariant(experiment, 'qa', undefined, { override: 'b' })).toMatchObject({ variant: 'a', reason: 'disabled' });
    expect(assignVariant(experiment, 'u1', undefined, { sticky: recordOf('b') })).toMatchObject({ variant: 'a', reason: 'disabled' });
  });

  it('a missing unit beats the kill switch and any override', () => {
    const experiment = defineExperiment({ ...base, enabled: false });
    expect(assignVariant(experiment, '', undefined, { override: 'b' })).toMatchObject({ variant: 'a', reason: 'missing_unit', unit: '' });
  });

  it("a per-call override beats the config's override for the same unit", () => {
    const experiment = defineExperiment({ ...base, overrides: { qa: 'b' } });
    expect(assignVariant(experiment, 'qa', undefined, { override: 'a' })).toMatchObject({ variant: 'a', reason: 'override', inExperiment: false, bucket: -1, unit: 'qa' });
  });

  it.each([
    ['eligibility', { eligibility: nobodyEligible }],
    ['holdout', { holdout: everyoneHeldOut }],
    ['layer', { layer: emptySlice }],
    ['traffic', { traffic: 0 }],
  ])('an override beats %s', (_name, rule) => {
    const experiment = defineExperiment({ ...base, ...rule, overrides: { [outOfSlice]: 'b' } });
    expect(assignVariant(experiment, outOfSlice)).toMatchObject({ variant: 'b', reason: 'override', inExperiment: false });
    expect(assignVariant(experiment, 'someone-else', undefined, { override: 'b' })).toMatchObject({ variant: 'b', reason: 'override' });
  });

  it('eligibility beats the holdout, the holdout beats the layer, the layer beats the traffic', () => {
    const ineligibleHeldOut = defineExperiment({ ...base, eligibility: nobodyEligible, holdout: everyoneHeldOut });
    expect(assignVariant(ineligibleHeldOut, 'u1').reason).toBe('ineligible');
    const heldOutOfSlice = defineExperiment({ ...base, holdout: everyoneHeldOut, layer: emptySlice });
    expect(assignVariant(heldOutOfSlice, outOfSlice).reason).toBe('holdout');
    const outOfSliceAndTraffic = defineExperiment({ ...base, layer: emptySlice, traffic: 0 });
    expect(assignVariant(outOfSliceAndTraffic, outOfSlice).reason).toBe('layer');
  });

  it('a sticky record beats the layer, the traffic and the rollout, but not eligibility or the holdout', () => {
    const sticky = recordOf('b');
    for (const rule of [{ layer: emptySlice }, { traffic: 0 }, { rollout: 0.0001, weights: [1, 1] }]) {
      const experiment = defineExperiment({ ...base, ...rule });
      expect(assignVariant(experiment, outOfSlice, undefined, { sticky })).toMatchObject({ variant: 'b', inExperiment: true, reason: 'sticky', bucket: -1 });
    }
    expect(assignVariant(defineExperiment({ ...base, eligibility: nobodyEligible }), 'u1', undefined, { sticky }).reason).toBe('ineligible');
    expect(assignVariant(defineExperiment({ ...base, holdout: everyoneHeldOut }), 'u1', undefined, { sticky }).reason).toBe('holdout');
  });

  it('an override is never recorded in the sticky store, and a record naming no variant is ignored', () => {
    const sticky = createMemoryStickyStore([{ unit: 'u1', experiment: 'k', variant: 'gone' }]);
    const experiment = defineExperiment(base);
    expect(assignVariant(experiment, 'qa', undefined, { override: 'b', sticky }).reason).toBe('override');
    expect(assignVariant(experiment, 'u1', undefined, { sticky })).toMatchObject({ variant: 'b', reason: 'bucketed' });
    expect(sticky.records()).toEqual([{ unit: 'u1', experiment: 'k', variant: 'b' }]);
  });

  it('a per-call override that is not a variant gives control with reason error, naming the value and the rule', () => {
    const result = assignVariant(defineExperiment(base), 'qa', undefined, { override: 'c' as 'b' });
    expect(result).toMatchObject({ variant: 'a', inExperiment: false, reason: 'error', bucket: -1, unit: 'qa' });
    expect(result.error).toBeInstanceOf(ExperimentConfigError);
    expect((result.error as Error).message).toBe('override must be one of the variants, got "c"');
  });
});

describe('overrides through the client', () => {
  it('peek and assign take a per-call override; an override is never exposed', () => {
    const sink = createMemorySink();
    const bucketry = createBucketry({ experiments: [defineExperiment({ ...base, overrides: { qa: 'b' } })], sink, dedupe: false });
    expect(bucketry.peek('k', 'u1', undefined, { override: 'b' })).toMatchObject({ variant: 'b', reason: 'override' });
    expect(bucketry.assign('k', 'u1', undefined, { override: 'b' })).toMatchObject({ variant: 'b', reason: 'override' });
    expect(bucketry.assign('k', 'qa').reason).toBe('override');
    bucketry.expose(bucketry.peek('k', 'u2', undefined, { override: 'a' }));
    expect(sink.events).toEqual([]);
    bucketry.assign('k', 'u1');
    expect(sink.events.map((event) => [event.unit, event.reason])).toEqual([['u1', 'bucketed']]);
  });

  it('reports a bad per-call override to onError as an assignment failure', () => {
    const errors: unknown[] = [];
    const bucketry = createBucketry({ experiments: [defineExperiment(base)], onError: (error, context) => errors.push([context.source, context.experiment]) });
    expect(bucketry.assign('k', 'u1', undefined, { override: 'zzz' as never }).variant).toBe('a');
    expect(errors).toEqual([['assignment', 'k']]);
  });
});

describe('results built for adapters', () => {
  it('fallbackAssignment: the given variant, reason error, never in the experiment', () => {
    const error = new Error('proxy did not run');
    expect(fallbackAssignment('k', 'a', error)).toEqual({ experiment: 'k', variant: 'a', inExperiment: false, reason: 'error', bucket: -1, unit: '', error });
    expect(fallbackAssignment('k', 'a', error, 'u1').unit).toBe('u1');
  });

  it('serverAssignment: a known variant as reason server, an unknown one as none', () => {
    const experiment = defineExperiment(base);
    expect(serverAssignment(experiment, 'b')).toEqual({ experiment: 'k', variant: 'b', inExperiment: false, reason: 'server', bucket: -1, unit: '', error: undefined });
    for (const sent of ['c', null, undefined, '', 1]) expect(serverAssignment(experiment, sent)).toBeUndefined();
  });

  it('every result has one shape, whichever check decided', () => {
    const experiment = defineExperiment({ ...base, overrides: { qa: 'b' } });
    const shapes = new Set(
      [assignVariant(experiment, 'u1'), assignVariant(experiment, 'qa'), assignVariant(experiment, ''), fallbackAssignment('k', 'a', 0), serverAssignment(experiment, 'a')!].map((r) =>
        Object.keys(r).join(),
      ),
    );
    expect([...shapes]).toEqual(['experiment,variant,value,inExperiment,reason,bucket,unit,error']);
  });
});
