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
export { normalCdf, normalSurvival, normalQuantile } from '@bucketry/stats';
export { chiSquareSurvival, chiSquareGoodnessOfFit, type GoodnessOfFit } from '@bucketry/stats';
export { twoProportionZTest, type TwoProportionTest } from '@bucketry/stats';
export { conversionLift, relativeLiftBounds, type Lift, type LiftInterval, type Interval } from '@bucketry/stats';
export { holmAdjust } from '@bucketry/stats';
export { sampleSizePerVariant, type SampleSizeOptions, type SampleSize } from '@bucketry/stats';
export { quantileSorted } from '@bucketry/stats';
export { QuantileSketch, type QuantileInterval } from '@bucketry/stats';
export { welchTTest, studentTSurvival, studentTUpperQuantile, type WelchTest, type SampleMoments } from '@bucketry/stats';
export { regularizedIncompleteBeta } from '@bucketry/stats';
export { SequentialRatioTest, ratioLogBayesFactor, DEFAULT_RATIO_CONCENTRATION } from '@bucketry/stats';
export { simulateExport, type SimulateOptions } from './simulate/simulate.js';
export { Random } from '@bucketry/stats';
export { runCli } from './cli/main.js';
export type { CliIo, OutputStream } from './cli/io.js';
