// A guardrail in words, as every decision, state file, baseline and page names it: the label is
// also the key a baseline metric is matched by, so it has one home below the tally and the judge.
import type { Guardrail } from '@bucketry/analyze';

/** A fraction as a percent: one decimal, two below 1%. */
export const pct = (x: number): string => `${(x * 100).toFixed(x !== 0 && Math.abs(x) < 0.01 ? 2 : 1)}%`;
/** Three significant digits, whole from 100. */
export const num = (x: number): string => (Math.abs(x) >= 100 ? x.toFixed(0) : String(Number(x.toPrecision(3))));
/** Milliseconds as "812ms" or "5s". */
export const ms = (x: number): string => (x >= 1000 ? `${num(x / 1000)}s` : `${num(x)}ms`);

/** The event a guardrail measures, and the field of the guardrail that names it (`metric` or `event`). */
export const subjectOf = (g: Guardrail): { key: 'metric' | 'event'; name: string } =>
  g.type === 'rate' || g.type === 'non-inferiority' ? { key: 'metric', name: g.metric } : { key: 'event', name: g.event };

/** What a guardrail requires, in words. */
export function labelOf(g: Guardrail): string {
  switch (g.type) {
    case 'rate':
      return `${g.metric} rate below ${pct(g.hold)} (rollback above ${pct(g.rollback)})`;
    case 'percentile':
      return `p${g.percentile} ${g.event} below ${ms(g.hold)} (rollback above ${ms(g.rollback)})`;
    case 'mean':
      return `mean ${g.event}.${g.property} below ${num(g.hold)} (rollback above ${num(g.rollback)})`;
    case 'non-inferiority':
      return `${g.metric} not more than ${pct(g.margin)} ${g.direction === 'lower-is-better' ? 'above' : 'below'} control`;
    case 'relative-change':
      return `${g.event}.${g.property} relative change at most ${pct(g.max)}`;
  }
}
