import { describe, expect, it } from 'vitest';
import { formatDuration, parseDuration, parseFraction, parseNumber } from './quantities.js';

describe('quantities', () => {
  it('reads finite numbers, negative ones included, and refuses blanks (which Number reads as 0)', () => {
    expect([parseNumber('-0.35'), parseNumber(' 1e3 '), parseNumber('0')]).toEqual([-0.35, 1000, 0]);
    for (const text of ['', '  ', 'cheap', 'Infinity', '1,5']) expect(parseNumber(text)).toBeUndefined();
  });

  it('reads fractions as percentages or plain numbers', () => {
    expect(parseFraction('5%')).toBeCloseTo(0.05, 15);
    expect(parseFraction('0.02')).toBe(0.02);
    expect(parseFraction(' 12.5% ')).toBeCloseTo(0.125, 15);
    expect(parseFraction('five')).toBeUndefined();
    expect(parseFraction('')).toBeUndefined();
  });

  it('reads durations with units, bare numbers as milliseconds', () => {
    expect(parseDuration('10m')).toBe(600_000);
    expect(parseDuration('5s')).toBe(5000);
    expect(parseDuration('1.5h')).toBe(5_400_000);
    expect(parseDuration('250ms')).toBe(250);
    expect(parseDuration('250')).toBe(250);
    expect(parseDuration('1d')).toBe(86_400_000);
    expect(parseDuration('-5s')).toBeUndefined();
    expect(parseDuration('10 minutes')).toBeUndefined();
  });

  it('writes durations back in the largest unit that fits', () => {
    expect([formatDuration(600_000), formatDuration(3_600_000), formatDuration(5000), formatDuration(1500), formatDuration(250)]).toEqual([
      '10m',
      '1h',
      '5s',
      '1.5s',
      '250ms',
    ]);
  });
});
