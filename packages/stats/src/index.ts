// @bucketry/stats: the statistics behind @bucketry/analyze, private to this repository. analyze bundles
// it into its own build; core's statistical tests and @bucketry/guard use it by name.
export { normalCdf, normalSurvival, normalQuantile, twoSidedQuantile } from './normal.js';
export { chiSquareSurvival, chiSquareGoodnessOfFit, type GoodnessOfFit } from './chi-square.js';
export { regularizedIncompleteBeta } from './incomplete-beta.js';
export { studentTSurvival, studentTUpperQuantile, welchTTest, type SampleMoments, type WelchTest } from './student-t.js';
export { binomialCdf, binomialUpperTail } from './binomial.js';
export { binomialTest } from './binomial-test.js';
export { twoProportionZTest, type TwoProportionTest } from './two-proportion.js';
export { wilsonInterval, wilsonIntervalAt } from './wilson.js';
export { newcombeDifferenceInterval } from './difference-interval.js';
export { koopmanRatioInterval } from './ratio-interval.js';
export { conversionLift, relativeLiftBounds, type Interval, type Lift, type LiftInterval } from './lift.js';
export { meanRelativeLift, ratioOfMeans, ratioComparison, type RatioMoments } from './delta-method.js';
export { cupedAdjustment, type CupedAdjustment } from './cuped.js';
export { holmAdjust } from './holm.js';
export { sampleSizePerVariant, type SampleSizeOptions, type SampleSize } from './sample-size.js';
export { quantileSorted } from './quantiles.js';
export { QuantileSketch, type QuantileInterval } from './quantile-sketch.js';
export {
  DEFAULT_SEQUENTIAL_HORIZON,
  mixtureSpread,
  alwaysValidPValue,
  alwaysValidCritical,
  alwaysValidRates,
  alwaysValidEstimates,
  type AlwaysValidDifference,
} from './always-valid.js';
export { SequentialRatioTest, ratioLogBayesFactor, DEFAULT_RATIO_CONCENTRATION } from './sequential-ratio.js';
export { Random } from './prng.js';
