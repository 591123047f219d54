import { alwaysValidRates } from '@bucketry/stats';
import { holmAdjust } from '@bucketry/stats';
import { conversionLift, type LiftInterval } from '@bucketry/stats';
import { twoProportionZTest } from '@bucketry/stats';
import { sequentialOptions, type SequentialOptions } from './sequential-options.js';

/**
 * One variant's conversions on one metric.
 *
 * @example
 * ```ts
 * sessions.variants.map((v) => `${v.name}: ${v.conversions}/${v.units}`);
 * ```
 */
export interface VariantConversions {
  readonly name: string;
  readonly units: number;
  readonly conversions: number;
  /** conversions / units; `null` when the variant has no units. */
  readonly rate: number | null;
}

/**
 * A treatment against control on one metric, the always-valid way (mSPRT, see
 * stats/always-valid.ts): valid at this look whenever, and however often, the experiment is
 * analysed.
 *
 * @example
 * ```ts
 * const { pValue, relativeLift } = sessions.comparisons[0].sequential!;
 * ```
 */
export interface SequentialComparison {
  /** min(1, 1/Λ) against no difference; `null` where the z-test does not exist (see {@link MetricComparison.pValue}). */
  readonly pValue: number | null;
  /** Holm–Bonferroni over the success metrics' always-valid p-values; `null` for guardrail metrics and without a p-value. */
  readonly adjustedPValue: number | null;
  /** adjustedPValue < 1 − confidence; `null` for guardrail metrics. */
  readonly significant: boolean | null;
  /** p̂_T − p̂_C with its confidence sequence (Newcombe's interval at the sequence's critical value). */
  readonly absoluteLift: LiftInterval;
  /** p̂_T/p̂_C − 1 with its confidence sequence (Koopman's); `null` when control has no conversions. */
  readonly relativeLift: LiftInterval | null;
}

/**
 * A treatment against control on one metric. Numbers are `null` when they do not exist (no units
 * in an arm, a relative lift over a zero rate, or a z-test whose pooled standard error is 0 because
 * no unit converted in either arm, or every unit did).
 *
 * @example
 * ```ts
 * const { relativeLift, pValue } = sessions.comparisons[0];
 * ```
 */
export interface MetricComparison {
  readonly treatment: string;
  readonly control: string;
  /** p̂_T − p̂_C with Newcombe's hybrid score interval. */
  readonly absoluteLift: LiftInterval | null;
  /** p̂_T/p̂_C − 1 with Koopman's score interval; `null` when control has no conversions. */
  readonly relativeLift: LiftInterval | null;
  readonly z: number | null;
  /** Two-sided, two-proportion z-test; `null` when it does not exist (see above). */
  readonly pValue: number | null;
  /** Holm–Bonferroni across all success-metric comparisons that have a p-value; `null` for guardrail metrics, which are not corrected, and without a p-value. */
  readonly adjustedPValue: number | null;
  /** adjustedPValue < 1 − confidence; `null` for guardrail metrics. */
  readonly significant: boolean | null;
  /** The always-valid p-value and confidence sequences; `null` when an arm has no units. */
  readonly sequential: SequentialComparison | null;
}

/**
 * A conversion metric: per-variant rates and each treatment against control.
 *
 * @example
 * ```ts
 * const sessions = report.metrics.find((m) => m.name === 'session_started_from_tree');
 * ```
 */
export interface MetricResult {
  readonly name: string;
  /** `success` metrics are tested for lift; `guardrail` metrics are only there for a guardrail. */
  readonly role: 'success' | 'guardrail';
  readonly variants: readonly VariantConversions[];
  readonly comparisons: readonly MetricComparison[];
}

/**
 * Rates, lifts with intervals and z-tests for each tracked metric, Holm-adjusted across the
 * success metrics' comparisons (every treatment on every success metric is one hypothesis); the
 * same for the always-valid tests, adjusted over their own p-values.
 */
export function compareMetrics(
  names: readonly string[],
  successCount: number,
  variants: readonly string[],
  units: readonly number[],
  conversions: readonly (readonly number[])[],
  confidence: number,
  sequential: SequentialOptions = sequentialOptions(confidence),
): MetricResult[] {
  const control = variants[0]!;
  const results = names.map((name, m): MetricResult => {
    const perVariant = variants.map((variant, v) => ({
      name: variant,
      units: units[v]!,
      conversions: conversions[m]![v]!,
      rate: units[v]! > 0 ? conversions[m]![v]! / units[v]! : null,
    }));
    const comparisons = variants.slice(1).map((treatment, i): MetricComparison => {
      const t = i + 1;
      if (units[0]! === 0 || units[t]! === 0) {
        return { treatment, control, absoluteLift: null, relativeLift: null, z: null, pValue: null, adjustedPValue: null, significant: null, sequential: null };
      }
      const [xC, nC, xT, nT] = [conversions[m]![0]!, units[0]!, conversions[m]![t]!, units[t]!];
      const lift = conversionLift(xC, nC, xT, nT, confidence);
      const test = twoProportionZTest(xC, nC, xT, nT);
      const anytime = alwaysValidRates(xC, nC, xT, nT, 1 - confidence, sequential.spread);
      return {
        treatment,
        control,
        absoluteLift: lift.absolute,
        relativeLift: lift.relative ?? null,
        z: test?.z ?? null,
        pValue: test?.pValue ?? null,
        adjustedPValue: null,
        significant: null,
        sequential: { pValue: anytime.pValue, adjustedPValue: null, significant: null, absoluteLift: anytime.difference, relativeLift: anytime.relative },
      };
    });
    return { name, role: m < successCount ? 'success' : 'guardrail', variants: perVariant, comparisons };
  });

  return holmOverSuccessMetrics(results, confidence);
}

/**
 * The Holm–Bonferroni correction over every success comparison in `results` that has a p-value
 * (every treatment on every success metric is one hypothesis), fixed-horizon and always-valid
 * apart: fills in adjustedPValue and significant. Segments pass every slice's results as one list,
 * so the family spans metrics × slices.
 */
export function holmOverSuccessMetrics(results: readonly MetricResult[], confidence: number): MetricResult[] {
  const out = [...results];
  const adjust = (pOf: (c: MetricComparison) => number | null | undefined, set: (c: MetricComparison, adjusted: number) => MetricComparison) => {
    const family: { metric: number; comparison: number; p: number }[] = [];
    out.forEach((r, m) => {
      if (r.role !== 'success') return;
      r.comparisons.forEach((c, i) => {
        const p = pOf(c);
        if (p !== null && p !== undefined) family.push({ metric: m, comparison: i, p });
      });
    });
    const adjusted = holmAdjust(family.map((f) => f.p));
    family.forEach((f, i) => {
      const result = out[f.metric]!;
      const comparisons = [...result.comparisons];
      comparisons[f.comparison] = set(comparisons[f.comparison]!, adjusted[i]!);
      out[f.metric] = { ...result, comparisons };
    });
  };
  const alpha = 1 - confidence;
  adjust((c) => c.pValue, (c, p) => ({ ...c, adjustedPValue: p, significant: p < alpha }));
  adjust((c) => c.sequential?.pValue, (c, p) => ({ ...c, sequential: { ...c.sequential!, adjustedPValue: p, significant: p < alpha } }));
  return out;
}
