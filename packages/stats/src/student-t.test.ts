import { describe, expect, it } from 'vitest';
import { closeTo, reference } from './reference.test-helper.js';
import { regularizedIncompleteBeta } from './incomplete-beta.js';
import { studentTSurvival, studentTUpperQuantile, welchTTest, type SampleMoments } from './student-t.js';

describe("Student's t", () => {
  it.each(reference.studentT.survival as { t: number; df: number; p: number }[])('P(T > $t) with df $df matches scipy.stats.t.sf', ({ t, df, p }) => {
    expect(closeTo(studentTSurvival(t, df), p, 1e-10), `${studentTSurvival(t, df)} vs ${p}`).toBe(true);
  });

  it.each(reference.studentT.upperQuantiles as { p: number; df: number; t: number }[])('the t above which lies $p with df $df matches scipy.stats.t.isf', ({ p, df, t }) => {
    expect(closeTo(studentTUpperQuantile(p, df), t, 1e-10)).toBe(true);
  });

  it.each(reference.studentT.incompleteBeta as { x: number; a: number; b: number; value: number }[])('I_$x($a, $b) matches scipy.special.betainc', ({ x, a, b, value }) => {
    expect(closeTo(regularizedIncompleteBeta(x, a, b), value, 1e-12)).toBe(true);
  });

  // Far into the tail: Welch's test printed p = < 1e-300 where SciPy gives 1.24e-29 (t = 11.29, df = 7816).
  // The worst relative error on the grid is about 6e-11 (df = 1e6); 1e-9 is the accuracy
  // studentTSurvival claims, and it is tight enough to catch the normal tail of huge df without its
  // −½ (3e-7 at df = 1e9), which 1e-6 let through.
  it.each(reference.studentT.tailGrid as { df: number; points: [number, number][] }[])(
    'matches scipy.stats.t.sf over t from −40 to 40 with df $df, within 1e-9 relative wherever it is above 1e-300',
    ({ df, points }) => {
      const wrong = points.filter(([t, p]) => {
        const ours = studentTSurvival(t, df);
        return p > 1e-300 ? !closeTo(ours, p, 1e-9) : !(ours <= 1e-300);
      });
      expect(wrong.map(([t, p]) => `t = ${t}: ${studentTSurvival(t, df)} vs ${p}`)).toEqual([]);
    },
  );

  it('is symmetric, and NaN outside its domain', () => {
    expect(studentTSurvival(-1.5, 4) + studentTSurvival(1.5, 4)).toBeCloseTo(1, 14);
    expect(studentTSurvival(0, 4)).toBe(0.5);
    expect(studentTSurvival(1, 0)).toBeNaN();
    expect(studentTUpperQuantile(0.975, 10)).toBeCloseTo(-studentTUpperQuantile(0.025, 10), 10);
    expect(regularizedIncompleteBeta(1.5, 1, 1)).toBeNaN();
  });
});

describe('welchTTest', () => {
  type Case = { control: SampleMoments; treatment: SampleMoments; t: number; df: number; pValue: number; difference: { estimate: number; standardError: number; low: number; high: number } };
  it.each(reference.studentT.welch as Case[])('matches scipy.stats.ttest_ind_from_stats(equal_var=False) for $treatment.mean vs $control.mean', (c) => {
    const result = welchTTest(c.control, c.treatment)!;
    expect(closeTo(result.t, c.t, 1e-12)).toBe(true);
    expect(closeTo(result.df, c.df, 1e-12)).toBe(true);
    expect(closeTo(result.pValue, c.pValue, 1e-9), `${result.pValue} vs ${c.pValue}`).toBe(true);
    for (const key of ['estimate', 'standardError', 'low', 'high'] as const) expect(closeTo(result.difference[key], c.difference[key], 1e-9, 1e-12), key).toBe(true);
  });

  it("gives the statistics reference's value: t = 2.45962, df = 725.292, p = 0.0141406", () => {
    const result = welchTTest({ count: 400, mean: 10, sd: 4 }, { count: 380, mean: 10.8, sd: 5 })!;
    expect([result.t.toFixed(5), result.df.toFixed(3), result.pValue.toFixed(7)]).toEqual(['2.45962', '725.292', '0.0141406']);
  });

  it('has no answer with fewer than 2 values in an arm, or no spread at all', () => {
    expect(welchTTest({ count: 1, mean: 5, sd: NaN }, { count: 10, mean: 6, sd: 1 })).toBeUndefined();
    expect(welchTTest({ count: 10, mean: 5, sd: 0 }, { count: 10, mean: 6, sd: 0 })).toBeUndefined();
  });
});
