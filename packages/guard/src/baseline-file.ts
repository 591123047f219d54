import { readFileSync } from 'node:fs';
import { rename, writeFile } from 'node:fs/promises';
import type { Baseline, BaselineMetric } from './baseline.js';

/**
 * A baseline file that cannot be used: names the file, the field, the value and the rule.
 *
 * @example
 * ```ts
 * try {
 *   readBaselineFile('rollout-plan.baseline.json');
 * } catch (error) {
 *   if (error instanceof BaselineFileError) console.error(error.message);
 * }
 * ```
 */
export class BaselineFileError extends Error {
  override name = 'BaselineFileError';
  constructor(
    readonly path: string,
    readonly field: string,
    value: unknown,
    rule: string,
  ) {
    super(`${path}: ${field} is ${value === undefined ? 'missing' : JSON.stringify(value)}, ${rule}; record it again with bucketry baseline`);
  }
}

/**
 * Where a plan's baseline lives unless told otherwise: beside the plan, `<plan>.baseline.json`.
 *
 * @example
 * ```ts
 * defaultBaselinePath('rollout-plan.json'); // 'rollout-plan.baseline.json'
 * ```
 */
export const defaultBaselinePath = (planPath: string): string => `${planPath.replace(/\.json$/i, '')}.baseline.json`;

/** Writes the baseline whole (a temporary file renamed over the old one): a reader never sees half of it. */
export async function writeBaselineFile(path: string, baseline: Baseline): Promise<void> {
  const temporary = `${path}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  await writeFile(temporary, `${JSON.stringify(baseline, null, 2)}\n`);
  await rename(temporary, path);
}

const isNumberOrNull = (v: unknown) => v === null || (typeof v === 'number' && Number.isFinite(v));

/**
 * Reads and checks a baseline file written by `bucketry baseline`. Throws {@link BaselineFileError}
 * for a file that is not one (naming the field), and the file system's error when it cannot be read.
 *
 * @example
 * ```ts
 * const baseline = readBaselineFile('rollout-plan.baseline.json');
 * console.log(`${baseline.from} to ${baseline.to}: ${baseline.units} units`);
 * ```
 */
export function readBaselineFile(path: string, experiment?: string): Baseline {
  const text = readFileSync(path, 'utf8');
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new BaselineFileError(path, 'the file', text.slice(0, 40), `must be JSON (${(error as Error).message})`);
  }
  const fail = (field: string, v: unknown, rule: string): never => {
    throw new BaselineFileError(path, field, v, rule);
  };
  if (value === null || typeof value !== 'object' || Array.isArray(value)) fail('the file', value, 'must be a baseline object');
  const b = value as Record<string, unknown>;
  if (b.format !== 1) fail('format', b.format, 'must be 1');
  if (typeof b.experiment !== 'string') fail('experiment', b.experiment, 'must be a string');
  if (experiment !== undefined && b.experiment !== experiment) fail('experiment', b.experiment, `must be the plan's experiment ${JSON.stringify(experiment)}`);
  for (const field of ['from', 'to', 'recordedAt'] as const) if (typeof b[field] !== 'string' || Number.isNaN(Date.parse(b[field] as string))) fail(field, b[field], 'must be an ISO 8601 time');
  for (const field of ['units', 'events', 'lines', 'badLines'] as const) if (!Number.isSafeInteger(b[field]) || (b[field] as number) < 0) fail(field, b[field], 'must be a whole number from 0');
  if (!Array.isArray(b.metrics)) fail('metrics', b.metrics, 'must be an array');
  (b.metrics as unknown[]).forEach((m, i) => {
    const metric = (m ?? {}) as Record<string, unknown>;
    if (typeof metric.label !== 'string' || metric.label === '') fail(`metrics[${i}].label`, metric.label, 'must be the guardrail label');
    for (const field of ['value', 'shareAboveHold', 'shareAboveRollback'] as const) if (!isNumberOrNull(metric[field])) fail(`metrics[${i}].${field}`, metric[field], 'must be a number or null');
    for (const field of ['samples', 'hits'] as const) if (!Number.isSafeInteger(metric[field]) || (metric[field] as number) < 0) fail(`metrics[${i}].${field}`, metric[field], 'must be a whole number from 0');
  });
  return { ...(b as unknown as Baseline), metrics: b.metrics as BaselineMetric[], source: typeof b.source === 'string' ? b.source : '' };
}
