import { describe, expect, it } from 'vitest';
import { judgeBounds } from './bound-verdict.js';

describe('judgeBounds', () => {
  it('below a limit: proceeds on the upper bound, rolls back when even the lower bound is above, else holds', () => {
    expect(judgeBounds(-0.31, -0.13, -0.1, 'below')).toEqual({ outcome: 'proceed', value: -0.13 });
    expect(judgeBounds(0.08, 0.2, 0.05, 'below')).toEqual({ outcome: 'rollback', value: 0.2 });
    expect(judgeBounds(-0.02, 0.07, 0.05, 'below')).toEqual({ outcome: 'hold', value: 0.07 });
  });

  it('above a limit: the mirror image, on the lower bound', () => {
    expect(judgeBounds(-0.03, 0.1, -0.05, 'above')).toEqual({ outcome: 'proceed', value: -0.03 });
    expect(judgeBounds(-0.4, -0.2, -0.05, 'above')).toEqual({ outcome: 'rollback', value: -0.4 });
    expect(judgeBounds(-0.122, 0.1, -0.1, 'above')).toEqual({ outcome: 'hold', value: -0.122 });
  });
});
