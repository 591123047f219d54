import { describe, expect, it } from 'vitest';
import { Random } from './prng.js';
import {
  alwaysValidCritical,
  alwaysValidEstimates,
  alwaysValidPValue,
  alwaysValidRates,
  logMixtureLikelihoodRatio,
  mixtureSpread,
} from './always-valid.js';
import { conversionLift, type LiftInterval } from './lift.js';
import { normalQuantile } from './normal.js';
import { closeTo, reference } from './reference.test-helper.js';
import { welchTTest, type SampleMoments } from './student-t.js';
import { twoProportionZTest } from './two-proportion.js';
import { useSlowTestTimeouts } from '../../../test-support/slow-tests.js';

// The simulations below take a second or two, many times that on a loaded machine.
useSlowTestTimeouts();

const fixtures = reference.alwaysValid;
const ALPHA: number = fixtures.alpha;
const SPREAD = mixtureSpread(ALPHA, fixtures.horizon);

const same = (actual: LiftInterval, expected: LiftInterval, relative = 1e-9) => {
  for (const key of ['estimate', 'low', 'high'] as const) {
    expect(closeTo(actual[key], expected[key], relative, 1e-12), `${key}: ${actual[key]} vs ${expected[key]}`).toBe(true);
  }
};

describe('the mixture sequential probability ratio test (mSPRT)', () => {
  it.each(fixtures.spreads as { alpha: number; horizon: number; spread: number }[])('ρ² at α = $alpha, n* = $horizon matches the formula in Python', ({ alpha, horizon, spread }) => {
    expect(closeTo(mixtureSpread(alpha, horizon), spread, 1e-14)).toBe(true);
  });

  type Ratio = { z: number; units: number; alpha: number; horizon: number; tau2: number; logRatio: number; ratioByQuad?: number };
  it.each(fixtures.ratios as Ratio[])(
    'ln Λ at z = $z after $units units is the paper\'s closed form in Δ̂, V and τ² (and the integral of the mixture, by SciPy quad, where given)',
    ({ z, units, alpha, horizon, logRatio, ratioByQuad }) => {
      const value = logMixtureLikelihoodRatio(z, units, mixtureSpread(alpha, horizon));
      expect(closeTo(value, logRatio, 1e-10, 1e-12), `${value} vs ${logRatio}`).toBe(true);
      if (ratioByQuad !== undefined) expect(closeTo(Math.exp(value), ratioByQuad, 1e-9)).toBe(true);
    },
  );

  it.each(fixtures.critical as { units: number; alpha: number; horizon: number; z: number }[])(
    'the critical |z| after $units units at α = $alpha is where Λ = 1/α (solved numerically in Python)',
    ({ units, alpha, horizon, z }) => {
      const spread = mixtureSpread(alpha, horizon);
      expect(closeTo(alwaysValidCritical(units, alpha, spread), z, 1e-10)).toBe(true);
      expect(closeTo(alwaysValidPValue(z, units, spread), alpha, 1e-9)).toBe(true);
      // Wider than the fixed-horizon critical value at every sample size.
      expect(z).toBeGreaterThan(normalQuantile(1 - alpha / 2));
    },
  );

  it('reproduces the reference of shared/reference/statistics.md: τ² = 2.98241e-4 and Λ = 2.9756 for 1,000/10,000 vs 1,100/10,000', () => {
    // That reference takes the unpooled variance, V = 1.879e-5, so z = 0.01/√V.
    const z = 0.01 / Math.sqrt(1.879e-5);
    expect(closeTo(SPREAD * 1.879e-5 * 20_000, 2.98241e-4, 1e-5)).toBe(true);
    expect(Math.exp(logMixtureLikelihoodRatio(z, 20_000, SPREAD))).toBeCloseTo(2.9756, 4);
  });
});

describe('alwaysValidRates', () => {
  type Rates = {
    controlConversions: number;
    controlUnits: number;
    treatmentConversions: number;
    treatmentUnits: number;
    pValue: number | null;
    absolute: LiftInterval;
    relative: LiftInterval | null;
  };
  it.each(fixtures.rates as Rates[])(
    'gives the p-value from the pooled variance and the score intervals at the critical value, as computed in Python, for $controlConversions/$controlUnits vs $treatmentConversions/$treatmentUnits',
    (c) => {
      const result = alwaysValidRates(c.controlConversions, c.controlUnits, c.treatmentConversions, c.treatmentUnits, ALPHA, SPREAD);
      if (c.pValue === null) expect(result.pValue).toBeNull();
      else expect(closeTo(result.pValue!, c.pValue, 1e-9)).toBe(true);
      same(result.difference, c.absolute, 1e-8);
      if (c.relative === null) expect(result.relative).toBeNull();
      else same(result.relative!, c.relative, 1e-8);
      // The sequence holds the fixed-horizon interval, and its p-value is never below the fixed-horizon one.
      const fixed = conversionLift(c.controlConversions, c.controlUnits, c.treatmentConversions, c.treatmentUnits, 1 - ALPHA);
      expect(result.difference.low).toBeLessThanOrEqual(fixed.absolute.low);
      expect(result.difference.high).toBeGreaterThanOrEqual(fixed.absolute.high);
      const test = twoProportionZTest(c.controlConversions, c.controlUnits, c.treatmentConversions, c.treatmentUnits);
      if (test !== undefined) expect(result.pValue!).toBeGreaterThanOrEqual(test.pValue);
    },
  );
});

describe('alwaysValidEstimates', () => {
  type Means = { control: SampleMoments; treatment: SampleMoments; pValue: number; difference: LiftInterval };
  it.each(fixtures.means as Means[])('matches Python on Welch\'s difference for $control.mean ± $control.sd (n $control.count) vs $treatment.mean ± $treatment.sd (n $treatment.count)', (c) => {
    const result = alwaysValidEstimates(welchTTest(c.control, c.treatment)!.difference, undefined, c.control.count + c.treatment.count, ALPHA, SPREAD);
    expect(closeTo(result.pValue, c.pValue, 1e-9)).toBe(true);
    same(result.difference, c.difference);
  });
});

describe('repeated looks at an A/A test', () => {
  // 1,000 simulated experiments with no difference, each looked at 20 times (every 100 units per
  // arm up to 2,000). A test that keeps its level rejects at some look in at most α·1,000 = 50 of
  // them; with 1,000 runs a true rate of exactly α gives 50 ± 6.9 (binomial SD), so the bound
  // allowed is 50 + 3 SD = 70: a count above it means the rate is above α (a 1-in-700 chance
  // otherwise). The fixed-horizon test checked at every look must exceed that same bound. (With
  // these seeds: rates 6 always-valid against 240 fixed-horizon, means 2 against 246.)
  const RUNS = 1000;
  const LOOKS = 20;
  const PER_LOOK = 100;
  const BOUND = Math.floor(ALPHA * RUNS + 3 * Math.sqrt(RUNS * ALPHA * (1 - ALPHA)));

  it(`rates (10% in both arms): the always-valid test rejects at some look in at most ${BOUND} of ${RUNS}, the z-test at every look in more`, () => {
    const random = new Random(19);
    let sequentialRuns = 0;
    let sequenceRuns = 0;
    let fixedRuns = 0;
    for (let run = 0; run < RUNS; run++) {
      const x = [0, 0];
      let sequential = false;
      let sequence = false;
      let fixed = false;
      for (let look = 1; look <= LOOKS; look++) {
        for (let arm = 0; arm < 2; arm++) for (let i = 0; i < PER_LOOK; i++) if (random.next() < 0.1) x[arm]!++;
        const n = look * PER_LOOK;
        const result = alwaysValidRates(x[0]!, n, x[1]!, n, ALPHA, SPREAD);
        if (result.pValue !== null && result.pValue <= ALPHA) sequential = true;
        if (result.difference.low > 0 || result.difference.high < 0) sequence = true;
        const test = twoProportionZTest(x[0]!, n, x[1]!, n);
        if (test !== undefined && test.pValue <= ALPHA) fixed = true;
      }
      if (sequential) sequentialRuns++;
      if (sequence) sequenceRuns++;
      if (fixed) fixedRuns++;
    }
    expect(sequentialRuns).toBeLessThanOrEqual(BOUND);
    expect(sequenceRuns).toBeLessThanOrEqual(BOUND);
    expect(fixedRuns).toBeGreaterThan(BOUND);
  });

  it(`means (skewed, log-normal values): the always-valid test rejects at some look in at most ${BOUND} of ${RUNS}, Welch's at every look in more`, () => {
    const random = new Random(2017);
    const moments = (sum: number, squares: number, count: number): SampleMoments => {
      const mean = sum / count;
      return { count, mean, sd: Math.sqrt(Math.max(0, (squares - count * mean * mean) / (count - 1))) };
    };
    let sequentialRuns = 0;
    let fixedRuns = 0;
    for (let run = 0; run < RUNS; run++) {
      const sum = [0, 0];
      const squares = [0, 0];
      let sequential = false;
      let fixed = false;
      for (let look = 1; look <= LOOKS; look++) {
        for (let arm = 0; arm < 2; arm++) {
          for (let i = 0; i < PER_LOOK; i++) {
            const value = 800 * Math.exp(0.6 * random.normal());
            sum[arm]! += value;
            squares[arm]! += value * value;
          }
        }
        const n = look * PER_LOOK;
        const control = moments(sum[0]!, squares[0]!, n);
        const treatment = moments(sum[1]!, squares[1]!, n);
        const welch = welchTTest(control, treatment, 1 - ALPHA)!;
        if (alwaysValidEstimates(welch.difference, undefined, 2 * n, ALPHA, SPREAD).pValue <= ALPHA) sequential = true;
        if (welch.pValue <= ALPHA) fixed = true;
      }
      if (sequential) sequentialRuns++;
      if (fixed) fixedRuns++;
    }
    expect(sequentialRuns).toBeLessThanOrEqual(BOUND);
    expect(fixedRuns).toBeGreaterThan(BOUND);
  });
});
