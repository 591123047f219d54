// The guardrail metrics of a window before the first stage: how the service did before anything
// changed, for the monitor, the reports and the status page to show each metric beside.
//
// Before the rollout nobody is in the experiment (at 0% no exposures are written), so the
// baseline does not attribute events to exposures as the monitor does: a unit counts when it has
// any event in the window, a rate is the share of those units with the metric's event, a
// percentile is over every duration of the event in the window.
import type { ExportEvent, Guardrail } from '@bucketry/analyze';
import { quantileSorted } from '@bucketry/stats';
import { countText, millisText, percentText } from './charts-html.js';
import { eventOfLine, eventOfValue, type LineCounts } from './export-line.js';
import { labelOf, subjectOf } from './guardrail-label.js';
import { durationOf } from './tally.js';
import type { Plan } from './types.js';

/**
 * One guardrail's metric over the baseline window. `value` is what the guardrail judges: a rate
 * (rate, non-inferiority), a percentile in ms, or a mean; `null` when the window had none of it.
 * Percentile guardrails also keep the share of durations above their hold and rollback limits,
 * which is what the monitor tallies.
 *
 * @example
 * ```ts
 * const metric: BaselineMetric = {
 *   label: 'skill_tree_error rate below 2.0% (rollback above 5.0%)', type: 'rate', subject: 'skill_tree_error',
 *   samples: 48_200, hits: 530, value: 0.011, shareAboveHold: null, shareAboveRollback: null,
 * };
 * ```
 */
export interface BaselineMetric {
  readonly label: string;
  readonly type: Guardrail['type'];
  /** The metric or event it measures. */
  readonly subject: string;
  /** Units (rates), durations (percentiles) or values (means) behind it. */
  readonly samples: number;
  /** Units with the event (rates); durations above the hold limit (percentiles); 0 for means. */
  readonly hits: number;
  readonly value: number | null;
  readonly shareAboveHold: number | null;
  readonly shareAboveRollback: number | null;
}

/**
 * What `bucketry baseline` records: the window, what was read, and each guardrail's metric.
 *
 * @example
 * ```ts
 * const baseline: Baseline = readBaselineFile('rollout-plan.baseline.json');
 * for (const m of baseline.metrics) console.log(m.label, m.value);
 * ```
 */
export interface Baseline {
  readonly format: 1;
  readonly experiment: string;
  /** ISO 8601, inclusive. */
  readonly from: string;
  /** ISO 8601, exclusive. */
  readonly to: string;
  readonly recordedAt: string;
  /** The event source as given. */
  readonly source: string;
  /** Distinct units with any event in the window. */
  readonly units: number;
  /** Events in the window. */
  readonly events: number;
  /** Lines read in all, and those that were not an event; events outside the window are only counted in lines. */
  readonly lines: number;
  readonly badLines: number;
  readonly metrics: readonly BaselineMetric[];
}

/** Every guardrail of the plan once (the plan's own and each stage's), in order of first appearance. */
export function planGuardrails(plan: Plan): Guardrail[] {
  const seen = new Map<string, Guardrail>();
  for (const stage of plan.stages) for (const g of stage.guardrails) if (!seen.has(labelOf(g))) seen.set(labelOf(g), g);
  return [...seen.values()];
}

/** How one baseline metric reads: "0.85% of 2,345 units (20)", "p95 1.52 s over 4,500 durations". */
export function baselineMetricText(metric: BaselineMetric): string {
  if (metric.value === null) return `no ${metric.subject} ${metric.type === 'rate' || metric.type === 'non-inferiority' ? 'units' : 'values'} in the window`;
  if (metric.type === 'rate' || metric.type === 'non-inferiority') return `${percentText(metric.value)} of units (${countText(metric.hits)}/${countText(metric.samples)})`;
  if (metric.type === 'percentile') return `${millisText(metric.value)} over ${countText(metric.samples)} durations (${percentText(metric.shareAboveRollback)} above the rollback limit)`;
  return `mean ${+metric.value.toFixed(4)} over ${countText(metric.samples)} values`;
}

/**
 * The baseline being tallied: fed every line of the source, it keeps the events timed within
 * [from, to) and counts the rest.
 */
export class BaselineTally {
  private readonly guardrails: Guardrail[];
  /** The event each guardrail measures, looked up once rather than per event. */
  private readonly subjects: string[];
  private readonly units = new Set<string>();
  private readonly hitUnits: Set<string>[];
  private readonly values: number[][];
  private events = 0;
  private readonly counts: LineCounts = { lines: 0, badLines: 0 };

  constructor(
    private readonly plan: Plan,
    private readonly from: number,
    private readonly to: number,
  ) {
    this.guardrails = planGuardrails(plan);
    this.subjects = this.guardrails.map((g) => subjectOf(g).name);
    this.hitUnits = this.guardrails.map(() => new Set());
    this.values = this.guardrails.map(() => []);
  }

  /** One line of an export (JSON text); blank lines are skipped. */
  line(text: string): void {
    this.event(eventOfLine(text, this.counts));
  }

  /** One event already parsed (a database row shaped as a Bucketry sink's event). */
  value(value: unknown): void {
    this.counts.lines++;
    this.event(eventOfValue(value, this.counts));
  }

  private event(event: ExportEvent | undefined): void {
    if (event === undefined || !(event.time >= this.from && event.time < this.to)) return;
    this.events++;
    this.units.add(event.unit);
    this.guardrails.forEach((g, i) => {
      if (event.name !== this.subjects[i]) return;
      if (g.type === 'rate' || g.type === 'non-inferiority') this.hitUnits[i]!.add(event.unit);
      else if (g.type === 'percentile') {
        const duration = durationOf(event.properties);
        if (duration !== undefined) this.values[i]!.push(duration);
      } else if (g.type === 'mean') {
        const value = event.properties[g.property];
        if (typeof value === 'number' && Number.isFinite(value)) this.values[i]!.push(value);
      }
    });
  }

  /** The baseline as recorded. */
  result(source: string, recordedAt: Date = new Date()): Baseline {
    const metrics = this.guardrails.map((g, i): BaselineMetric => {
      const base = { label: labelOf(g), type: g.type, subject: this.subjects[i]!, shareAboveHold: null, shareAboveRollback: null };
      if (g.type === 'rate' || g.type === 'non-inferiority') {
        const hits = this.hitUnits[i]!.size;
        return { ...base, samples: this.units.size, hits, value: this.units.size > 0 ? hits / this.units.size : null };
      }
      const values = this.values[i]!;
      if (g.type === 'percentile') {
        const above = (limit: number) => values.filter((v) => v > limit).length;
        const n = values.length;
        const aboveHold = above(g.hold);
        return {
          ...base,
          samples: n,
          hits: aboveHold,
          value: percentileOf(values, g.percentile),
          shareAboveHold: n > 0 ? aboveHold / n : null,
          shareAboveRollback: n > 0 ? above(g.rollback) / n : null,
        };
      }
      return { ...base, samples: values.length, hits: 0, value: values.length > 0 ? values.reduce((a, b) => a + b, 0) / values.length : null };
    });
    return {
      format: 1,
      experiment: this.plan.experiment,
      from: new Date(this.from).toISOString(),
      to: new Date(this.to).toISOString(),
      recordedAt: recordedAt.toISOString(),
      source,
      units: this.units.size,
      events: this.events,
      lines: this.counts.lines,
      badLines: this.counts.badLines,
      metrics,
    };
  }
}

/** The `percentile`-th percentile of some durations, as `bucketry analyze` computes it; null for none. */
export const percentileOf = (values: readonly number[], percentile: number): number | null =>
  values.length > 0 ? quantileSorted(Float64Array.from(values).sort(), percentile / 100) : null;

/** The baseline metric of a guardrail (matched by its label), if the baseline has it. */
export const baselineMetricOf = (baseline: Baseline | null | undefined, guardrail: Guardrail): BaselineMetric | undefined =>
  baseline?.metrics.find((m) => m.label === labelOf(guardrail));
