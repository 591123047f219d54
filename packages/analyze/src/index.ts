// @bucketry/analyze: the analysis behind the `bucketry` CLI, usable as a library. The public API is
// what a user calls: analyse an export, read its report (plain data), word it (text, JSON, HTML),
// policies and presets, sample size, and the export event reader. Everything else is internal.
export { analyzeFile, analyzeStream, checkReadableFile, UnusableInputError, type AnalyzeHooks } from './analysis/analyze.js';
export type { AnalyzeOptions } from './analysis/options.js';
export { AnalyzeOptionsError } from './analysis/options-error.js';
export type { AnalysisReport, VariantSummary, Check, InputSummary } from './analysis/report.js';
export type { HarmedComparison } from './analysis/checks.js';
export type { DurationSummary, DurationVariant, DurationComparison } from './analysis/durations.js';
export type { MetricResult, MetricComparison, SequentialComparison, VariantConversions } from './analysis/metrics.js';
export type { GuardrailResult } from './analysis/guardrails.js';
export type { GuardrailArm, GuardrailReading } from './analysis/guardrail-arm.js';
export type { ValueMetricResult, ValueVariant, ValueComparison, UnitStatistic, RatioResult, RatioVariant, RatioComparison } from './analysis/value-metrics.js';
export type { FunnelResult, FunnelVariant } from './analysis/funnels.js';
export type { SegmentResult, SegmentSlice, SegmentMean, SegmentWarning } from './analysis/segments.js';
export type { CupedReport, CupedMetric, CupedComparison, CupedVariant } from './analysis/cuped.js';
export type { PrePeriodCounts } from './analysis/cuped-pre-period.js';
export type { Balance, TimeBucket } from './analysis/balance.js';
export type { SampleRatioCheck, SequentialSampleRatio } from './analysis/srm.js';
export type { Outcome, SignificantHarmOutcome } from './policy/outcome.js';
export type { Interval, LiftInterval, QuantileInterval } from '@bucketry/stats';
export { readExportEvent, type ExportEvent, type ExportFlavor, type BadLine } from './input/export-event.js';
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
export { parseGuardrailSpec } from './policy/guardrail-spec.js';
export { PRESETS } from './policy/presets.js';
export { formatText } from './format/text.js';
export { formatJson } from './format/json.js';
export { formatHtml } from './format/html.js';
export { analyzeInterleaving, type InterleavingOptions, type InterleavingReport } from './analysis/interleaving.js';
export { formatInterleavingText } from './format/interleaving-text.js';
export { formatInterleavingHtml } from './format/interleaving-html.js';
export { sampleSizePerVariant, type SampleSizeOptions, type SampleSize } from '@bucketry/stats';
