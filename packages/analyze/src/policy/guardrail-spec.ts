import { type Guardrail, PolicyError, validateGuardrail } from './policy.js';
import { parseDuration, parseFraction, parseNumber } from './quantities.js';
import { parseValueSpec } from './value-spec.js';

/**
 * The forms `--guardrail` takes, for messages and help.
 *
 * @example
 * ```ts
 * console.log(GUARDRAIL_FORMS.join('\n'));
 * ```
 */
export const GUARDRAIL_FORMS = [
  'noninferior:<metric>:<margin>[:lower-is-better]   e.g. noninferior:session_started_from_tree:5%',
  'rate:<metric>:<hold>:<rollback>                    e.g. rate:skill_tree_error:2%:5%',
  'p<NN>:<event>:<hold>:<rollback>                    e.g. p95:skill_tree_loaded:5s:10s',
  'mean:<event>.<property>:<hold>:<rollback>          e.g. mean:llm_call.cost_usd:0.02:0.05',
  'lift:<event>.<property>:<max>[:sum|mean]           e.g. lift:llm_call.cost_usd:-35%',
] as const;

const formsHint = `; the forms are ${GUARDRAIL_FORMS.map((f) => f.split(/\s+e\.g\./)[0]!.trim()).join(', ')}`;

/** One number of a spec, read by `parse`; the error names the spec, the part and `rule`. */
function part(spec: string, label: string, text: string | undefined, parse: (text: string) => number | undefined, rule: string): number {
  const value = text === undefined ? undefined : parse(text);
  if (value === undefined) throw new PolicyError(`"${spec}": ${label} is ${text === undefined ? 'missing' : `"${text}"`}, must be ${rule}`);
  return value;
}

const fractionPart = (spec: string, label: string, text: string | undefined) => part(spec, label, text, parseFraction, 'a percentage like 5% or a fraction like 0.05');
const numberPart = (spec: string, label: string, text: string | undefined) => part(spec, label, text, parseNumber, 'a number');
const durationPart = (spec: string, label: string, text: string | undefined) => part(spec, label, text, parseDuration, 'a duration like 5s, 800ms or 5000 (milliseconds)');

/**
 * Reads the compact guardrail syntax of `--guardrail` (see {@link GUARDRAIL_FORMS}) into a
 * {@link Guardrail}, validated as a policy file's would be.
 *
 * @example
 * ```ts
 * parseGuardrailSpec('noninferior:session_started_from_tree:5%');
 * // { type: 'non-inferiority', metric: 'session_started_from_tree', margin: 0.05, direction: 'higher-is-better', alpha: 0.05 }
 * parseGuardrailSpec('p95:skill_tree_loaded:5s:10s');
 * // { type: 'percentile', event: 'skill_tree_loaded', percentile: 95, hold: 5000, rollback: 10000 }
 * ```
 */
export function parseGuardrailSpec(spec: string): Guardrail {
  const [kind = '', subject, ...rest] = spec.split(':');
  if (subject === undefined || subject === '') throw new PolicyError(`"${spec}" names no metric or event${formsHint}`);
  const tooMany = (count: number) => {
    if (rest.length > count) throw new PolicyError(`"${spec}" has ${rest.length - count} part(s) too many${formsHint}`);
  };
  try {
    if (kind === 'noninferior') {
      tooMany(2);
      const [margin, direction] = rest;
      if (direction !== undefined && direction !== 'lower-is-better' && direction !== 'higher-is-better') {
        throw new PolicyError(`"${spec}": direction is "${direction}", must be lower-is-better or higher-is-better`);
      }
      return validateGuardrail({ type: 'non-inferiority', metric: subject, margin: fractionPart(spec, 'margin', margin), direction: direction ?? 'higher-is-better' });
    }
    if (kind === 'rate') {
      tooMany(2);
      return validateGuardrail({ type: 'rate', metric: subject, hold: fractionPart(spec, 'hold', rest[0]), rollback: fractionPart(spec, 'rollback', rest[1]) });
    }
    if (kind === 'mean') {
      tooMany(2);
      const { event, property } = parseValueSpec(subject);
      return validateGuardrail({ type: 'mean', event, property, hold: numberPart(spec, 'hold', rest[0]), rollback: numberPart(spec, 'rollback', rest[1]) });
    }
    if (kind === 'lift') {
      tooMany(2);
      const { event, property } = parseValueSpec(subject);
      const statistic = rest[1] ?? 'sum';
      if (statistic !== 'sum' && statistic !== 'mean') throw new PolicyError(`"${spec}": statistic is "${statistic}", must be sum or mean`);
      return validateGuardrail({ type: 'relative-change', event, property, max: fractionPart(spec, 'max', rest[0]), statistic });
    }
    const percentile = /^p(\d{1,2}(?:\.\d+)?)$/.exec(kind);
    if (percentile !== null) {
      tooMany(2);
      return validateGuardrail({
        type: 'percentile',
        event: subject,
        percentile: Number(percentile[1]),
        hold: durationPart(spec, 'hold', rest[0]),
        rollback: durationPart(spec, 'rollback', rest[1]),
      });
    }
  } catch (error) {
    if (error instanceof PolicyError && !error.message.startsWith(`"${spec}"`)) throw new PolicyError(`"${spec}": ${error.message.replace(/^guardrail\./, '')}`);
    throw error;
  }
  throw new PolicyError(`"${spec}" starts with "${kind}"${formsHint}`);
}
