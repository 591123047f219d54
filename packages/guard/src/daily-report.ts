// One day of a rollout, as the playbook's daily report has it: requests, each guardrail's metric
// per variant beside its baseline, what was found wrong, and a recommendation. The day's events
// only (UTC midnight to midnight): a unit counts when exposed that day, its events after that.
import type { ExportEvent, Guardrail } from '@bucketry/analyze';
import type { RolloutChange, RolloutRecord } from '@bucketry/live';
import { mixtureSpread } from '@bucketry/stats';
import { baselineMetricOf, percentileOf, planGuardrails, type Baseline, type BaselineMetric } from './baseline.js';
import { eventOfLine, eventOfValue } from './export-line.js';
import { judgeGuardrail, worstVerdict } from './judge.js';
import { durationOf, EMPTY_COUNTS, StageTally, talliesOf } from './tally.js';
import type { GuardrailJudgement, Plan, ReadCounts, Verdict } from './types.js';

const DAY_MS = 86_400_000;

/** One variant's number for one guardrail: the rate, percentile (ms) or mean, over how many. */
export interface DailyValue {
  readonly value: number | null;
  /** Units (rates) or observations (durations, values). */
  readonly samples: number;
  /** Units with the event (rates); 0 otherwise. */
  readonly hits: number;
}

/** One guardrail of the plan on the day: each variant's value, the baseline's, and the verdict. */
export interface DailyGuardrail {
  readonly label: string;
  readonly guardrail: Guardrail;
  /** Per variant, control first. */
  readonly values: readonly DailyValue[];
  readonly baseline: BaselineMetric | null;
  readonly judgement: GuardrailJudgement;
}

/**
 * The daily report's content, before it is written as Markdown or HTML.
 *
 * @example
 * ```ts
 * const { start, end } = dayWindow('2026-12-08');
 * const tally = new DailyTally(plan, start, end);
 * await readWholeSource('exports/events.jsonl', process.cwd(), tally);
 * const report: DailyReport = tally.report('exports/events.jsonl', '2026-12-08', baseline, null);
 * console.log(report.recommendation, report.issues);
 * ```
 */
export interface DailyReport {
  readonly experiment: string;
  /** YYYY-MM-DD, UTC. */
  readonly date: string;
  readonly source: string;
  readonly variants: readonly string[];
  /** Exposure events per variant: the requests that showed the experiment. */
  readonly requests: readonly number[];
  /** Units exposed that day per variant. */
  readonly units: readonly number[];
  readonly guardrails: readonly DailyGuardrail[];
  readonly counts: ReadCounts;
  /** What the store holds now and the changes it recorded that day; null without `--store`. */
  readonly store: { readonly record: RolloutRecord | null; readonly changes: readonly RolloutChange[] } | null;
  readonly baseline: { readonly from: string; readonly to: string } | null;
  readonly issues: readonly string[];
  readonly recommendation: Verdict;
  readonly why: string;
}

/** The day a `--date` names, as [start, end) in epoch ms; throws naming the rule. */
export function dayWindow(date: string): { start: number; end: number } {
  const start = /^\d{4}-\d{2}-\d{2}$/.test(date) ? Date.parse(`${date}T00:00:00.000Z`) : NaN;
  if (Number.isNaN(start) || new Date(start).toISOString().slice(0, 10) !== date) throw new RangeError(`--date is ${JSON.stringify(date)}, must be a day written YYYY-MM-DD (UTC)`);
  return { start, end: start + DAY_MS };
}

/**
 * The day's events being read: exposures and tracked events inside the day go to a tally of every
 * guardrail of the plan (as the monitor keeps one per stage), and the durations of percentile
 * guardrails are kept per variant for their percentiles.
 */
export class DailyTally {
  private readonly tally: StageTally;
  private readonly durations: number[][][];
  readonly requests: number[];
  private readonly guardrails: Guardrail[];
  private outside = 0;

  constructor(
    private readonly plan: Plan,
    private readonly start: number,
    private readonly end: number,
  ) {
    this.guardrails = planGuardrails(plan);
    this.tally = new StageTally(plan, { tallies: talliesOf(this.guardrails, plan.variants), exposures: plan.variants.map(() => 0), units: {}, counts: EMPTY_COUNTS });
    this.durations = this.guardrails.map(() => plan.variants.map(() => []));
    this.requests = plan.variants.map(() => 0);
  }

  line(text: string): void {
    this.take(eventOfLine(text, this.tally.counts));
  }

  value(value: unknown): void {
    this.tally.counts.lines++;
    this.take(eventOfValue(value, this.tally.counts));
  }

  private take(event: ExportEvent | undefined): void {
    if (event === undefined) return;
    if (!(event.time >= this.start && event.time < this.end)) {
      this.outside++;
      return;
    }
    if (event.name === this.plan.exposureEvent && event.properties.experiment === this.plan.experiment) {
      const variant = this.plan.variants.indexOf(String(event.properties.variant));
      if (variant >= 0) this.requests[variant]!++;
    }
    this.tally.event(event);
    const mark = this.tally.units.get(event.unit);
    if (mark === undefined || event.time < mark[1]) return;
    this.guardrails.forEach((g, i) => {
      if (g.type !== 'percentile' || g.event !== event.name) return;
      const duration = durationOf(event.properties);
      if (duration !== undefined) this.durations[i]![mark[0]]!.push(duration);
    });
  }

  /** The report, judged as the monitor judges a look. */
  report(source: string, date: string, baseline: Baseline | null, store: DailyReport['store'], storeError: string | null = null): DailyReport {
    const { plan } = this;
    const snapshot = this.tally.snapshot();
    const options = { alpha: plan.alpha, spread: mixtureSpread(plan.alpha, plan.horizon), minSamples: plan.minSamples };
    const guardrails = snapshot.tallies.map((t, i): DailyGuardrail => {
      const g = t.guardrail;
      const values = t.arms.map((arm, v): DailyValue => {
        if (g.type === 'rate' || g.type === 'non-inferiority') return { value: arm.n > 0 ? arm.hits / arm.n : null, samples: arm.n, hits: arm.hits };
        if (g.type === 'percentile') {
          const durations = this.durations[i]![v]!;
          return { value: percentileOf(durations, g.percentile), samples: durations.length, hits: 0 };
        }
        return { value: arm.n > 0 ? arm.sum / arm.n : null, samples: arm.n, hits: 0 };
      });
      return { label: t.label, guardrail: g, values, baseline: baselineMetricOf(baseline, g) ?? null, judgement: judgeGuardrail(t, options) };
    });
    const issues: string[] = [];
    for (const g of guardrails) if (g.judgement.verdict !== 'PROCEED') issues.push(`${g.judgement.verdict} ${g.label}: ${g.judgement.message}`);
    const { counts } = snapshot;
    if (counts.badLines > 0) issues.push(`${counts.badLines} lines of the source were not events (not counted)`);
    if (counts.unattributed > 0) issues.push(`${counts.unattributed} tracked events of units not exposed before them that day (not counted)`);
    if (counts.otherExposures > 0) issues.push(`${counts.otherExposures} exposures to other experiments or to variants the plan does not name (not counted)`);
    if (storeError !== null) issues.push(`the rollout store could not be read: ${storeError}`);
    // A rollback takes units out of a treatment: from a rollout above 0 to 0 or stopped (a first record at 0 is none).
    const serving = (r: { rollout: number; enabled: boolean } | null) => r !== null && r.enabled && r.rollout > 0;
    for (const change of store?.changes ?? []) {
      if (serving(change.from) && !serving(change.to)) issues.push(`rolled back at ${change.at} by ${change.actor}${change.reason ? `: ${change.reason}` : ''}`);
    }
    const exposed = snapshot.exposures.reduce((a, b) => a + b, 0);
    let recommendation: Verdict;
    let why: string;
    if (exposed === 0) {
      recommendation = 'HOLD';
      why = `no ${plan.exposureEvent} of ${plan.experiment} on ${date}: nothing to judge`;
      issues.push(why);
    } else {
      recommendation = worstVerdict(guardrails.map((g) => g.judgement.verdict));
      why =
        recommendation === 'PROCEED'
          ? 'every guardrail passes on the day'
          : `${guardrails.filter((g) => g.judgement.verdict === recommendation).map((g) => g.label).join('; ')}`;
    }
    return {
      experiment: plan.experiment,
      date,
      source,
      variants: plan.variants,
      requests: [...this.requests],
      units: snapshot.exposures,
      guardrails,
      counts,
      store,
      baseline: baseline ? { from: baseline.from, to: baseline.to } : null,
      issues,
      recommendation,
      why,
    };
  }
}
