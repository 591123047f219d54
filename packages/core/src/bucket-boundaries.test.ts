import { describe, expect, it } from 'vitest';
import { assignVariant } from './assign.js';
import { bucketOf, BUCKETS } from './bucket.js';
import { defineExperiment } from './experiment.js';
import { defineHoldout } from './holdout.js';
import { xxhash32 } from './xxhash32.js';

// A unit whose bucket is exactly on a boundary. Every share is a half-open range of buckets
// [0, n): a unit with bucket n is outside it, a unit with bucket n - 1 inside (docs/spec.md).
// The bucket that decided is read from the assignment (or, for the variant split, computed
// from the experiment's seed as the spec defines it), then the share is set to end right there.
const UNITS = ['user-1', 'user-2', 'user-3', 'user-4', 'user-5', 'user-6'];
const percentFor = (buckets: number): number => buckets / 10_000; // the grid is 0.0001%

describe('a unit exactly on a boundary', () => {
  it('rollout: the unit whose rollout bucket equals the rollout is not rolled out; one bucket more and it is', () => {
    const checked = UNITS.map((unit) => {
      const full = assignVariant(defineExperiment({ key: 'edge', variants: ['c', 't'], rollout: 100 }), unit);
      const bucket = full.bucket;
      if (bucket === 0) return 'skipped';
      const at = assignVariant(defineExperiment({ key: 'edge', variants: ['c', 't'], rollout: percentFor(bucket) }), unit);
      const above = assignVariant(defineExperiment({ key: 'edge', variants: ['c', 't'], rollout: percentFor(bucket + 1) }), unit);
      expect(at).toMatchObject({ variant: 'c', inExperiment: true, reason: 'bucketed', bucket });
      expect(above).toMatchObject({ variant: 't', inExperiment: true, reason: 'bucketed', bucket });
      return 'checked';
    });
    expect(checked.filter((c) => c === 'checked').length).toBeGreaterThanOrEqual(5);
  });

  it('traffic: the unit whose traffic bucket equals the traffic is kept out; one bucket more lets it in', () => {
    for (const unit of UNITS) {
      const none = assignVariant(defineExperiment({ key: 'edge', variants: ['c', 't'], rollout: 100, traffic: 0 }), unit);
      expect(none.reason).toBe('traffic');
      const bucket = none.bucket;
      const at = assignVariant(defineExperiment({ key: 'edge', variants: ['c', 't'], rollout: 100, traffic: percentFor(bucket) }), unit);
      const above = assignVariant(defineExperiment({ key: 'edge', variants: ['c', 't'], rollout: 100, traffic: percentFor(bucket + 1) }), unit);
      expect(at).toMatchObject({ variant: 'c', inExperiment: false, reason: 'traffic', bucket });
      expect(above).toMatchObject({ variant: 't', inExperiment: true, reason: 'bucketed' });
    }
  });

  it('holdout: the unit whose holdout bucket equals the holdout is not held out; one bucket more holds it out', () => {
    for (const unit of UNITS) {
      const all = assignVariant(defineExperiment({ key: 'edge', variants: ['c', 't'], rollout: 100, holdout: defineHoldout({ key: 'h', percent: 100 }) }), unit);
      expect(all.reason).toBe('holdout');
      const bucket = all.bucket;
      const at = assignVariant(defineExperiment({ key: 'edge', variants: ['c', 't'], rollout: 100, holdout: defineHoldout({ key: 'h', percent: percentFor(bucket) }) }), unit);
      const above = assignVariant(
        defineExperiment({ key: 'edge', variants: ['c', 't'], rollout: 100, holdout: defineHoldout({ key: 'h', percent: percentFor(bucket + 1) }) }),
        unit,
      );
      expect(at).toMatchObject({ variant: 't', inExperiment: true, reason: 'bucketed' });
      expect(above).toMatchObject({ variant: 'c', inExperiment: false, reason: 'holdout', bucket });
    }
  });

  it('the split between treatments: a unit whose variant position equals a bound goes to the next treatment', () => {
    const probe = defineExperiment({ key: 'edge', variants: ['c', 't1', 't2'], rollout: 100 });
    for (const unit of UNITS) {
      // The variant position, as docs/spec.md defines it: the unit's bucket under the variant seed.
      const position = bucketOf(xxhash32(unit, probe.plan.variantSeed));
      expect(position).toBeGreaterThan(0);
      // Treatment weights [position, rest] put the first bound exactly at `position`.
      const at = defineExperiment({ key: 'edge', variants: ['c', 't1', 't2'], rollout: 100, weights: [1, position, BUCKETS - position] });
      expect(at.plan.treatmentBounds[0]).toBe(position);
      expect(at.plan.variantSeed).toBe(probe.plan.variantSeed);
      const above = defineExperiment({ key: 'edge', variants: ['c', 't1', 't2'], rollout: 100, weights: [1, position + 1, BUCKETS - position - 1] });
      expect(assignVariant(at, unit)).toMatchObject({ variant: 't2', reason: 'bucketed' });
      expect(assignVariant(above, unit)).toMatchObject({ variant: 't1', reason: 'bucketed' });
    }
  });
});
