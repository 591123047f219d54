import { parseGuardrailSpec, validatePolicy, type Guardrail } from '@bucketry/analyze';
import { subjectOf } from './guardrail-label.js';
import type { Plan, PlanStage } from './types.js';

/**
 * A plan that breaks a rule, found before anything runs: names the field, the value and the rule.
 *
 * @example
 * ```ts
 * try {
 *   parsePlan(JSON.parse(text));
 * } catch (error) {
 *   if (error instanceof PlanError) console.error(error.field, error.message); // stages[1].percent is 5, must be above stages[0].percent (25)
 * }
 * ```
 */
export class PlanError extends Error {
  override name = 'PlanError';
  constructor(
    readonly field: string,
    readonly value: unknown,
    readonly rule: string,
  ) {
    super(`${field} is ${value === undefined ? 'missing' : (JSON.stringify(value) ?? String(value))}, ${rule}`);
  }
}

/** An experiment key, as core's config validation takes it. */
export const KEY = /^[a-z0-9][a-z0-9_.-]{0,63}$/;
const DURATION = /^(\d+)(s|m|h|d)$/;
const UNIT_MS = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

type Fields = Record<string, unknown>;

function object(field: string, value: unknown): Fields {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new PlanError(field, value, 'must be an object');
  return value as Fields;
}

function knownKeys(field: string, value: Fields, known: readonly string[]): void {
  for (const key of Object.keys(value)) {
    const at = field ? `${field}.${key}` : key;
    if (!known.includes(key)) throw new PlanError(at, value[key], `is not a plan field (known: ${known.join(', ')})`);
  }
}

function text(field: string, value: unknown): string {
  if (typeof value !== 'string' || value.trim() === '') throw new PlanError(field, value, 'must be a non-empty string');
  return value;
}

function names(field: string, value: unknown, minimum: number): string[] {
  if (!Array.isArray(value) || value.length < minimum) throw new PlanError(field, value, `must be an array of at least ${minimum} names`);
  const list = value.map((item, i) => text(`${field}[${i}]`, item));
  list.forEach((item, i) => {
    if (list.indexOf(item) !== i) throw new PlanError(`${field}[${i}]`, item, 'must not repeat an earlier name');
  });
  return list;
}

/** Milliseconds of a duration written `<whole number><s|m|h|d>` (`5m`, `72h`, `7d`). */
function duration(field: string, value: unknown): number {
  const match = typeof value === 'string' ? DURATION.exec(value.trim()) : null;
  if (match === null || Number(match[1]) === 0) throw new PlanError(field, value, 'must be a duration above 0 like "5m", "72h" or "7d" (s, m, h, d)');
  return Number(match[1]) * UNIT_MS[match[2] as keyof typeof UNIT_MS];
}

/** A guardrail written in `bucketry analyze`'s compact form (`rate:checkout_error:2%:5%`) or as a policy file's object. */
function guardrail(field: string, value: unknown): Guardrail {
  try {
    if (typeof value === 'string') return parseGuardrailSpec(value);
    const [checked] = validatePolicy({ guardrails: [value] }).guardrails!;
    return checked!;
  } catch (error) {
    throw new PlanError(field, value, `must be a guardrail of the analyze policy language: ${(error as Error).message.replace(/^guardrails\[0\]\.?/, '')}`);
  }
}

function guardrails(field: string, value: unknown, events: readonly string[]): Guardrail[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) throw new PlanError(field, value, 'must be an array of guardrails');
  return value.map((item, i) => {
    const g = guardrail(`${field}[${i}]`, item);
    if (g.type === 'relative-change') {
      throw new PlanError(`${field}[${i}]`, item, 'is a relative-change guardrail, which the monitor cannot judge look by look; use mean:<event>.<property>:<hold>:<rollback> or noninferior:<metric>:<margin>');
    }
    const { key, name } = subjectOf(g);
    if (!events.includes(name)) throw new PlanError(`${field}[${i}].${key}`, name, `is not one of the plan's events (${events.join(', ')})`);
    return g;
  });
}

function probability(field: string, value: unknown, fallback: number, low: number, high: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !(value > low && value < high)) throw new PlanError(field, value, `must be a number between ${low} and ${high}`);
  return value;
}

function wholeNumber(field: string, value: unknown, fallback: number, minimum: number): number {
  if (value === undefined) return fallback;
  if (!Number.isSafeInteger(value) || (value as number) < minimum) throw new PlanError(field, value, `must be a whole number from ${minimum}`);
  return value as number;
}

const PLAN_FIELDS = ['experiment', 'variants', 'events', 'exposureEvent', 'stages', 'guardrails', 'interval', 'recentWindow', 'alpha', 'horizon', 'minSamples', 'advance', 'webhook', 'description'];
const STAGE_FIELDS = ['name', 'percent', 'minDuration', 'guardrails'];

/**
 * Checks a parsed rollout plan file and returns it typed, or throws {@link PlanError} naming the
 * first field that breaks a rule: stages whose percent does not rise, a guardrail on an event the
 * plan does not list, a hold limit above its rollback limit, an unknown field. Guardrails are
 * written as `bucketry analyze` takes them (`rate:checkout_error:2%:5%`, `p95:checkout_loaded:5s:10s`,
 * `noninferior:purchase:5%`, `mean:llm_call.cost_usd:0.02:0.05`) or as a policy file's objects;
 * the plan's `guardrails` apply to every stage, a stage's own are added to them.
 *
 * @example
 * ```ts
 * const plan = parsePlan({
 *   experiment: 'checkout_v2', variants: ['old', 'new'], events: ['checkout_error', 'checkout_loaded'],
 *   guardrails: ['rate:checkout_error:2%:5%', 'p95:checkout_loaded:5s:10s'],
 *   stages: [{ percent: 5, minDuration: '72h' }, { percent: 25, minDuration: '7d' }, { percent: 100, minDuration: '48h' }],
 *   interval: '10m', alpha: 0.05, advance: 'manual',
 * });
 * ```
 */
export function parsePlan(value: unknown): Plan {
  const p = object('plan', value);
  knownKeys('', p, PLAN_FIELDS);
  const experiment = text('experiment', p.experiment);
  if (!KEY.test(experiment)) throw new PlanError('experiment', experiment, `must be an experiment key matching ${KEY}`);
  const variants = names('variants', p.variants, 2);
  const events = names('events', p.events, 1);
  const exposureEvent = p.exposureEvent === undefined ? 'experiment_exposure' : text('exposureEvent', p.exposureEvent);
  const shared = guardrails('guardrails', p.guardrails, events);
  if (!Array.isArray(p.stages) || p.stages.length === 0) throw new PlanError('stages', p.stages, 'must be an array of at least one { "percent", "minDuration" }');
  const stages = p.stages.map((item, i): PlanStage => {
    const field = `stages[${i}]`;
    const s = object(field, item);
    knownKeys(field, s, STAGE_FIELDS);
    const percent = s.percent;
    if (typeof percent !== 'number' || !(percent > 0 && percent <= 100)) throw new PlanError(`${field}.percent`, percent, 'must be a number above 0 and at most 100');
    const before = (p.stages as Fields[])[i - 1]?.percent;
    if (i > 0 && !(percent > (before as number))) throw new PlanError(`${field}.percent`, percent, `must be above stages[${i - 1}].percent (${before}): stages only rise`);
    const minDuration = text(`${field}.minDuration`, s.minDuration);
    const own = guardrails(`${field}.guardrails`, s.guardrails, events);
    const all = [...shared, ...own];
    const compared = all.findIndex((g) => g.type === 'non-inferiority');
    if (percent === 100 && compared !== -1) {
      const where = compared < shared.length ? `guardrails[${compared}]` : `${field}.guardrails[${compared - shared.length}]`;
      throw new PlanError(where, all[compared], `is a non-inferiority guardrail, which needs a control arm, and ${field} at 100% has none: give it to the stages before ${field} only`);
    }
    if (all.length === 0) throw new PlanError(`${field}.guardrails`, s.guardrails, 'must hold at least one guardrail (here or in the plan\'s guardrails): a stage nothing guards is not a guarded rollout');
    if (all.length > 30) throw new PlanError(`${field}.guardrails`, s.guardrails, 'must leave at most 30 guardrails per stage');
    const name = s.name === undefined ? `stage-${i + 1}` : text(`${field}.name`, s.name);
    return { name, percent, minDuration, minDurationMs: duration(`${field}.minDuration`, minDuration), guardrails: all };
  });
  const interval = p.interval === undefined ? '10m' : text('interval', p.interval);
  const recentWindow = p.recentWindow === undefined ? '6h' : text('recentWindow', p.recentWindow);
  const advance = p.advance === undefined ? 'manual' : p.advance;
  if (advance !== 'auto' && advance !== 'manual') throw new PlanError('advance', advance, 'must be "auto" or "manual"');
  let webhook: string | null = null;
  if (p.webhook !== undefined && p.webhook !== null) {
    webhook = text('webhook', p.webhook);
    if (!/^https?:\/\//.test(webhook)) throw new PlanError('webhook', webhook, 'must be an http:// or https:// URL');
  }
  if (p.description !== undefined) text('description', p.description);
  return {
    experiment,
    variants,
    events,
    exposureEvent,
    stages,
    interval,
    intervalMs: duration('interval', interval),
    alpha: probability('alpha', p.alpha, 0.05, 0, 0.5),
    horizon: wholeNumber('horizon', p.horizon, 10_000, 10),
    minSamples: wholeNumber('minSamples', p.minSamples, 100, 1),
    recentWindow,
    recentWindowMs: duration('recentWindow', recentWindow),
    advance,
    webhook,
  };
}
