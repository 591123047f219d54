// Which events and numeric properties an analysis follows: the tracked events (success metrics,
// the guardrails' metrics, then the funnels' steps) and the value series (an event's numeric
// property, or its count), each named once.
import type { Guardrail, RatioSpec, ValueSpec } from '../policy/policy.js';
import { failOption } from './options-error.js';

/** The tracked events, in the order the tallies keep them, and the checked funnels. */
export function resolveTrackedEvents(metrics: readonly string[], guardrails: readonly Guardrail[], funnels: readonly (readonly string[])[]) {
  const trackedEvents = [...metrics];
  for (const g of guardrails) if ((g.type === 'rate' || g.type === 'non-inferiority') && !trackedEvents.includes(g.metric)) trackedEvents.push(g.metric);
  funnels.forEach((steps, i) => {
    if (!Array.isArray(steps) || steps.length < 2 || steps.some((e) => typeof e !== 'string' || e === '') || new Set(steps).size !== steps.length) {
      failOption(`funnels[${i}]`, steps, 'must list two or more different event names');
    }
    for (const event of steps) if (!trackedEvents.includes(event)) trackedEvents.push(event);
  });
  return { trackedEvents, funnels };
}

/**
 * The value series `values`, `ratios` and the value guardrails read, each once: `values` and
 * `ratios` as indices into `valueSeries`.
 */
export function resolveValueSeries(specs: readonly ValueSpec[], ratioSpecs: readonly RatioSpec[], guardrails: readonly Guardrail[]) {
  const valueSeries: ValueSpec[] = [];
  const seriesOf = (spec: ValueSpec, field: string): number => {
    if (spec === null || typeof spec !== 'object' || typeof spec.event !== 'string' || spec.event === '' || (spec.property !== undefined && (typeof spec.property !== 'string' || spec.property === ''))) {
      failOption(field, spec, 'must be { event, property? } with non-empty names');
    }
    const found = valueSeries.findIndex((s) => s.event === spec.event && s.property === spec.property);
    if (found >= 0) return found;
    valueSeries.push(spec.property === undefined ? { event: spec.event } : { event: spec.event, property: spec.property });
    return valueSeries.length - 1;
  };
  const values = [...new Set(specs.map((v, i) => seriesOf(v, `values[${i}]`)))];
  const ratios = ratioSpecs.map((r, i) => ({ numerator: seriesOf(r.numerator, `ratios[${i}].numerator`), denominator: seriesOf(r.denominator, `ratios[${i}].denominator`) }));
  guardrails.forEach((g, i) => {
    if (g.type === 'mean' || g.type === 'relative-change') seriesOf({ event: g.event, property: g.property }, `guardrails[${i}]`);
  });
  return { valueSeries, values, ratios };
}
