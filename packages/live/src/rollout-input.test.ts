import { ExperimentConfigError } from '@bucketry/core';
import { describe, expect, it } from 'vitest';
import { rolloutPercent } from './rollout-input.js';

describe('rolloutPercent', () => {
  it.each([
    [{ percent: 10 }, 10],
    [{ percent: '10' }, 10],
    [{ percent: 0.5 }, 0.5],
    [{ percent: '0' }, 0],
    [{ percent: 100 }, 100],
    [{ percent: 12.3456 }, 12.3456],
    [{ fraction: 0.1 }, 10],
    [{ fraction: '0.10' }, 10],
    [{ fraction: 1 }, 100],
    [{ fraction: 0.001234 }, 0.1234],
    [{ fraction: 0 }, 0],
  ])('%j is %d%', (input, percent) => {
    expect(rolloutPercent(input)).toBe(percent);
  });

  it.each([
    [{ percent: 150 }, 'percent must be from 0 to 100 (10 is 10%; 0 is the kill switch), got 150'],
    [{ percent: -1 }, 'percent must be from 0 to 100'],
    [{ percent: 'ten' }, 'percent must be a number, got "ten"'],
    [{ percent: '' }, 'percent must be a number, got ""'],
    [{ percent: 1.23456 }, 'percent must have at most 4 decimals (the grid is 0.0001%), got 1.23456'],
    [{ fraction: 10 }, 'fraction must be from 0 to 1 (0.10 is 10%); to roll out to 10%, give 10 as a percent, got 10'],
    [{ fraction: '150' }, 'fraction must be from 0 to 1 (0.10 is 10%), got "150"'],
    [{ fraction: 0.1234567 }, 'fraction must have at most 6 decimals'],
    [{ percent: 10, fraction: 0.1 }, 'fraction must not be given with a percent (10); give one of them, got 0.1'],
    [{}, 'percent must be given: a percent from 0 to 100, or a fraction from 0 to 1, got undefined'],
  ])('refuses %j with the rule', (input, message) => {
    expect(() => rolloutPercent(input)).toThrow(ExperimentConfigError);
    expect(() => rolloutPercent(input)).toThrow(message);
  });
});
