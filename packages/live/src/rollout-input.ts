import { ExperimentConfigError } from '@bucketry/core';

/** Up to 4 decimals of a percent: the assignment grid is 0.0001%. */
const onGrid = (percent: number): boolean => Math.abs(percent * 10_000 - Math.round(percent * 10_000)) < 1e-6;

const asNumber = (field: string, value: unknown): number => {
  const number = typeof value === 'string' && /^\s*[-+]?(\d+\.?\d*|\.\d+)\s*$/.test(value) ? Number(value) : value;
  if (typeof number !== 'number' || !Number.isFinite(number)) throw new ExperimentConfigError(field, value, 'must be a number');
  return number;
};

/**
 * The rollout percent an operator asked for, given as a `percent` (0–100, as in
 * `SKILL_TREE_LIST_ROLLOUT=10`) or a `fraction` (0–1, as in `PILOT_ROLLOUT_PCT=0.10`), numbers or
 * numeric strings. Exactly one must be given. Ambiguous or out-of-range input is refused with the
 * rule: `150` as a percent, `10` as a fraction (with a hint to give 10 as a percent), more than 4
 * decimals of a percent. `0.5` as a percent is half a percent.
 */
export function rolloutPercent(input: { readonly percent?: unknown; readonly fraction?: unknown }): number {
  const { percent, fraction } = input;
  if (percent !== undefined && fraction !== undefined) {
    throw new ExperimentConfigError('fraction', fraction, `must not be given with a percent (${String(percent)}); give one of them`);
  }
  if (fraction !== undefined) {
    const value = asNumber('fraction', fraction);
    if (value > 1 && value <= 100) {
      throw new ExperimentConfigError('fraction', fraction, `must be from 0 to 1 (0.10 is 10%); to roll out to ${value}%, give ${value} as a percent`);
    }
    if (!(value >= 0 && value <= 1)) throw new ExperimentConfigError('fraction', fraction, 'must be from 0 to 1 (0.10 is 10%)');
    const asPercent = Math.round(value * 100 * 10_000) / 10_000;
    if (Math.abs(asPercent - value * 100) > 1e-9) throw new ExperimentConfigError('fraction', fraction, 'must have at most 6 decimals (the grid is 0.0001%)');
    return asPercent;
  }
  if (percent === undefined) throw new ExperimentConfigError('percent', percent, 'must be given: a percent from 0 to 100, or a fraction from 0 to 1');
  const value = asNumber('percent', percent);
  if (!(value >= 0 && value <= 100)) throw new ExperimentConfigError('percent', percent, 'must be from 0 to 100 (10 is 10%; 0 is the kill switch)');
  if (!onGrid(value)) throw new ExperimentConfigError('percent', percent, 'must have at most 4 decimals (the grid is 0.0001%)');
  return value === 0 ? 0 : value; // never -0
}
