import { describe, expect, it } from 'vitest';
import { assignVariant } from './assign.js';
import { assignFactors, defineMultivariate } from './multivariate.js';

describe('assignFactors for a unit in the test', () => {
  it("reports inExperiment: true and reason 'bucketed', with each factor's own variant", () => {
    const page = defineMultivariate({
      key: 'skills_page',
      factors: { layout: ['tree', 'list'], density: { variants: ['cozy', 'compact'], weights: [1, 1] } },
    });
    for (const unit of ['user-1', 'user-2', 'user-3']) {
      const [layout, density] = page.experiments.map((experiment) => assignVariant(experiment, unit));
      // Every factor really bucketed this unit.
      expect([layout!.reason, density!.reason]).toEqual(['bucketed', 'bucketed']);
      expect(assignFactors(page, unit)).toEqual({
        experiment: 'skills_page',
        variants: { layout: layout!.variant, density: density!.variant },
        inExperiment: true,
        reason: 'bucketed',
      });
    }
  });
});
