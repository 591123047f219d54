import { describe, expect, it } from 'vitest';
import { assignVariant } from './assign.js';
import { assignFactors, defineMultivariate } from './multivariate.js';

// A factor that gives its treatments no weight has rollout 0: it is switched off, and so is the
// whole test for every unit (a unit is in all factors or in none). assignFactors reports that
// factor's reason, whichever factor comes last.
describe('assignFactors with a switched-off factor', () => {
  it("reports inExperiment false and the off factor's reason 'disabled', even before a bucketed factor", () => {
    const page = defineMultivariate({
      key: 'skills_page',
      factors: { density: { variants: ['cozy', 'compact'], weights: [1, 0] }, layout: ['tree', 'list'] },
    });
    for (const unit of ['user-1', 'user-2', 'user-3']) {
      // The set-up really mixes reasons: the first factor is off, the last one buckets the unit.
      expect(page.experiments.map((experiment) => assignVariant(experiment, unit).reason)).toEqual(['disabled', 'bucketed']);
      expect(assignFactors(page, unit)).toMatchObject({ variants: { density: 'cozy' }, inExperiment: false, reason: 'disabled' });
    }
  });
});
