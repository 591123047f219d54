import type { InterleavingReport } from '../analysis/interleaving.js';
import type { AnalysisReport } from '../analysis/report.js';

/**
 * The report, an A/B analysis's or an interleaving one's, as one JSON object (what `--format json`
 * prints). Non-finite numbers, such as an infinite χ² when units reach a variant weighted 0, are
 * written as `null`.
 *
 * @example
 * ```ts
 * const { variants, srm, metrics, decision, reasons } = JSON.parse(formatJson(report));
 * ```
 */
export function formatJson(report: AnalysisReport | InterleavingReport): string {
  return JSON.stringify(report, (_key, value: unknown) => (typeof value === 'number' && !Number.isFinite(value) ? null : value), 2) + '\n';
}
