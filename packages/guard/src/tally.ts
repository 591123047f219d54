// The running tallies of one stage, updated event by event as a look reads what is new. Every
// event that could not be counted is counted as such (bad lines, other exposures, unattributed).
import type { ExportEvent } from '@bucketry/analyze';
import { eventOfLine, eventOfValue } from './export-line.js';
import { labelOf } from './guardrail-label.js';
import type { ArmTally, GuardrailTally, Plan, ReadCounts } from './types.js';

type MutableArm = { -readonly [K in keyof ArmTally]: ArmTally[K] };
type UnitMark = [variant: number, exposedAt: number, flags: number];

/** The duration fields a percentile guardrail reads, as `bucketry analyze` does. */
const DURATION_FIELDS = ['duration_ms', 'latency_ms'] as const;

export const EMPTY_COUNTS: ReadCounts = Object.freeze({ lines: 0, badLines: 0, otherExposures: 0, unattributed: 0, bytesRead: 0 });

const zeroArm = (variant: string): MutableArm => ({ variant, n: 0, hits: 0, over: 0, sum: 0, sumSquares: 0 });

/** Zero tallies of some guardrails, one arm per variant. */
export const talliesOf = (guardrails: readonly GuardrailTally['guardrail'][], variants: readonly string[]): GuardrailTally[] =>
  guardrails.map((guardrail) => ({ label: labelOf(guardrail), guardrail, arms: variants.map(zeroArm) }));

/** Zero tallies for a stage's guardrails, one arm per variant. */
export const emptyTallies = (plan: Plan, stage: number): GuardrailTally[] => talliesOf(plan.stages[stage]!.guardrails, plan.variants);

/** The counting fields of an arm. */
const FIELDS = ['n', 'hits', 'over', 'sum', 'sumSquares'] as const;

/** Guardrail events held for a unit's exposure within one read, at most. */
const PENDING_LIMIT = 100_000;

/** Looks in a plan's recent window (at least one). */
export const recentLooks = (plan: Plan): number => Math.max(1, Math.round(plan.recentWindowMs / plan.intervalMs));

/**
 * The tallies after a look, each with what the look added appended to its recent window, which
 * keeps the last `looks` looks.
 */
export function withRecent(before: readonly GuardrailTally[], after: readonly GuardrailTally[], looks: number): GuardrailTally[] {
  return after.map((t, i) => {
    const old = before[i];
    const added = t.arms.map((arm, v) => {
      const was = old?.arms[v];
      const delta: MutableArm = { ...arm };
      for (const field of FIELDS) delta[field] = arm[field] - (was?.[field] ?? 0);
      return delta;
    });
    return { label: t.label, guardrail: t.guardrail, arms: t.arms.map((a) => ({ ...a })), recent: [...(old?.recent ?? []), added].slice(-looks) };
  });
}

/** One arm's sums over a tally's recent window; undefined without one, or when it holds nothing. */
export function recentArm(tally: GuardrailTally, index: number): ArmTally | undefined {
  if (tally.recent === undefined || tally.recent.length === 0) return undefined;
  const sum = zeroArm(tally.arms[index]!.variant);
  for (const look of tally.recent) for (const field of FIELDS) sum[field] += look[index]![field];
  return sum.n > 0 ? sum : undefined;
}

/** A duration from an event's properties (`duration_ms`, else `latency_ms`), as `bucketry analyze` reads it; shared with the baseline and the daily report. */
export const durationOf = (properties: Readonly<Record<string, unknown>>): number | undefined => {
  for (const field of DURATION_FIELDS) {
    const value = properties[field];
    if (typeof value === 'number' && Number.isFinite(value) && value >= 0) return value;
  }
  return undefined;
};

/**
 * A stage's tallies being updated: built from the state a look starts from, fed every line read,
 * and read back as plain data for the state file.
 */
export class StageTally {
  readonly tallies: { label: string; guardrail: GuardrailTally['guardrail']; arms: MutableArm[] }[];
  readonly exposures: number[];
  readonly units: Map<string, UnitMark>;
  private readonly stageStart: number;
  /**
   * Guardrail events of units not exposed yet, within one read: an export or a table may give a
   * unit's error before its exposure (the same millisecond, another instance's file). Credited when
   * the exposure comes; counted as unattributed when the read ends without it.
   */
  private readonly pending = new Map<string, ExportEvent[]>();
  private pendingCount = 0;
  /** Each tally's recent window as it came in (a look's read does not change it). */
  private readonly recent: (GuardrailTally['recent'] | undefined)[];
  readonly counts: { -readonly [K in keyof ReadCounts]: ReadCounts[K] };

  constructor(
    private readonly plan: Plan,
    from: {
      tallies: readonly GuardrailTally[];
      exposures: readonly number[];
      units: Readonly<Record<string, readonly [number, number, number]>>;
      counts: ReadCounts;
      /** ISO 8601: exposures before it belong to no stage here (counted as beforeStage). */
      stageStartedAt?: string;
    },
  ) {
    this.stageStart = from.stageStartedAt === undefined ? -Infinity : Date.parse(from.stageStartedAt);
    this.tallies = from.tallies.map((t) => ({ label: t.label, guardrail: t.guardrail, arms: t.arms.map((a) => ({ ...a })) }));
    this.recent = from.tallies.map((t) => t.recent);
    this.exposures = [...from.exposures];
    // Copied, not shared: a read that fails halfway must leave the state's marks as they were.
    this.units = new Map();
    for (const unit in from.units) {
      const [variant, exposedAt, flags] = from.units[unit]!;
      this.units.set(unit, [variant, exposedAt, flags]);
    }
    this.counts = { ...from.counts };
  }

  /** One line of an export (JSON text). Blank lines are skipped without counting. */
  line(text: string): void {
    const event = eventOfLine(text, this.counts);
    if (event !== undefined) this.event(event);
  }

  /** One parsed event (a row shaped as a Bucketry sink's event). */
  value(value: unknown): void {
    const event = eventOfValue(value, this.counts);
    if (event !== undefined) this.event(event);
  }

  event(event: ExportEvent): void {
    const { plan } = this;
    if (event.name === plan.exposureEvent) {
      const variant = event.properties.experiment === plan.experiment ? plan.variants.indexOf(String(event.properties.variant)) : -1;
      if (variant < 0) {
        this.counts.otherExposures++;
        return;
      }
      if (this.units.has(event.unit)) return;
      if (event.time < this.stageStart) {
        this.counts.beforeStage = (this.counts.beforeStage ?? 0) + 1;
        return;
      }
      this.units.set(event.unit, [variant, event.time, 0]);
      this.exposures[variant]!++;
      for (const t of this.tallies) if (t.guardrail.type === 'rate' || t.guardrail.type === 'non-inferiority') t.arms[variant]!.n++;
      const waiting = this.pending.get(event.unit);
      if (waiting !== undefined) {
        this.pending.delete(event.unit);
        this.pendingCount -= waiting.length;
        for (const early of waiting) this.event(early);
      }
      return;
    }
    let matched = false;
    let counted = false;
    const mark = this.units.get(event.unit);
    const attributed = mark !== undefined && event.time >= mark[1];
    this.tallies.forEach((t, bit) => {
      const g = t.guardrail;
      if (g.type === 'rate' || g.type === 'non-inferiority') {
        if (g.metric !== event.name) return;
        matched = true;
        if (!attributed) return;
        counted = true;
        if ((mark[2] & (1 << bit)) === 0) {
          mark[2] |= 1 << bit;
          t.arms[mark[0]]!.hits++;
        }
      } else if (g.type === 'percentile') {
        if (g.event !== event.name) return;
        const duration = durationOf(event.properties);
        if (duration === undefined) return;
        matched = true;
        if (!attributed) return;
        counted = true;
        const arm = t.arms[mark[0]]!;
        arm.n++;
        if (duration > g.hold) arm.hits++;
        if (duration > g.rollback) arm.over++;
      } else if (g.type === 'mean') {
        if (g.event !== event.name) return;
        const value = event.properties[g.property];
        if (typeof value !== 'number' || !Number.isFinite(value)) return;
        matched = true;
        if (!attributed) return;
        counted = true;
        const arm = t.arms[mark[0]]!;
        arm.n++;
        arm.sum += value;
        arm.sumSquares += value * value;
      }
    });
    if (!matched || counted) return;
    if (mark === undefined && this.pendingCount < PENDING_LIMIT) {
      const waiting = this.pending.get(event.unit);
      if (waiting === undefined) this.pending.set(event.unit, [event]);
      else waiting.push(event);
      this.pendingCount++;
    } else this.counts.unattributed++;
  }

  /** Ends a read: guardrail events whose unit was never exposed in it count as unattributed. */
  endRead(): void {
    this.counts.unattributed += this.pendingCount;
    this.pending.clear();
    this.pendingCount = 0;
  }

  /** The guardrail tallies alone, copied (cheap: no units). */
  talliesNow(): GuardrailTally[] {
    return this.tallies.map((t) => ({ label: t.label, guardrail: t.guardrail, arms: t.arms.map((a) => ({ ...a })) }));
  }

  /** The tallies as plain data (ending the read: see {@link StageTally.endRead}). */
  snapshot(): { tallies: GuardrailTally[]; exposures: number[]; units: Record<string, [number, number, number]>; counts: ReadCounts } {
    this.endRead();
    return {
      tallies: this.tallies.map((t, i) => ({ label: t.label, guardrail: t.guardrail, arms: t.arms.map((a) => ({ ...a })), ...(this.recent[i] ? { recent: this.recent[i] } : {}) })),
      exposures: [...this.exposures],
      units: Object.fromEntries(this.units),
      counts: { ...this.counts },
    };
  }
}
