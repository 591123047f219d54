// @bucketry/analyze: the analysis behind the `bucketry` CLI, usable as a library.
export { analyzeFile, analyzeStream, checkReadableFile, UnusableInputError, type AnalyzeHooks } from './analysis/analyze.js';
export { resolveOptions, AnalyzeOptionsError, type AnalyzeOptions, type ResolvedOptions } from './analysis/options.js';
export type { AnalysisReport, VariantSummary, Check, InputSummary } from './analysis/report.js';
export type { DurationSummary, DurationVariant, DurationComparison } from './analysis/durations.js';
export type { MetricResult, MetricComparison, SequentialComparison, VariantConversions } from './analysis/metrics.js';
export type { GuardrailResult, GuardrailArm } from './analysis/guardrails.js';
export type { ValueMetricResult, ValueVariant, ValueComparison, UnitStatistic, RatioResult, RatioVariant, RatioComparison } from './analysis/value-metrics.js';
export type { FunnelResult, FunnelVariant } from './analysis/funnels.js';
export type { Balance, TimeBucket } from './analysis/balance.js';
export { balanceTolerancePoints } from './analysis/balance.js';
export { checkSampleRatio, type SampleRatioCheck, type SequentialSampleRatio } from './analysis/srm.js';
export { worstOutcome, type Outcome } from './analysis/outcome.js';
export { readExportEvent, type ExportEvent, type ExportFlavor, type BadLine } from './input/export-event.js';
export { parseTimestamp } from './input/timestamp.js';
export { readLines, type LineHandlers } from './input/read-lines.js';
export {
  validatePolicy,
  PolicyError,
  DEFAULT_SRM_POLICY,
  type Policy,
  type Guardrail,
  type NonInferiorityGuardrail,
  type RateGuardrail,
  type PercentileGuardrail,
  type MeanGuardrail,
  type RelativeChangeGuardrail,
  type ValueSpec,
  type RatioSpec,
  type SrmPolicy,
} from './policy/policy.js';
export { parseGuardrailSpec, GUARDRAIL_FORMS } from './policy/guardrail-spec.js';
export { PRESETS } from './policy/presets.js';
export { formatText } from './format/text.js';
export { formatJson } from './format/json.js';
export { formatHtml } from './format/html.js';
export { normalCdf, normalSurvival, normalQuantile } from './stats/normal.js';
export { chiSquareSurvival, chiSquareGoodnessOfFit, type GoodnessOfFit } from './stats/chi-square.js';
export { twoProportionZTest, type TwoProportionTest } from './stats/two-proportion.js';
export { conversionLift, relativeLiftBounds, type Lift, type LiftInterval, type Interval } from './stats/lift.js';
export { holmAdjust } from './stats/holm.js';
export { sampleSizePerVariant, type SampleSizeOptions, type SampleSize } from './stats/sample-size.js';
export { quantileSorted } from './stats/quantiles.js';
export { QuantileSketch, type QuantileInterval } from './stats/quantile-sketch.js';
export { welchTTest, studentTSurvival, studentTUpperQuantile, type WelchTest, type SampleMoments } from './stats/student-t.js';
export { regularizedIncompleteBeta } from './stats/incomplete-beta.js';
export { SequentialRatioTest, ratioLogBayesFactor, DEFAULT_RATIO_CONCENTRATION } from './stats/sequential-ratio.js';
export { simulateExport, type SimulateOptions } from './simulate/simulate.js';
export { Random } from './simulate/prng.js';
export { runCli } from './cli/main.js';
export type { CliIo, OutputStream } from './cli/io.js';
