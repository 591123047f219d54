import { describe, expect, it } from 'vitest';
import { retryAfterMs } from './fetch-sink-retry-after.js';

const now = Date.parse('2026-10-21T07:28:00Z');

describe('retryAfterMs', () => {
  it.each([
    ['120', 120_000],
    [' 0 ', 0],
    ['2026', 2_026_000],
    ['Wed, 21 Oct 2026 07:28:30 GMT', 30_000],
    ['Wednesday, 21-Oct-26 07:29:00 GMT', 60_000],
    ['Wed Oct 21 07:28:05 2026', 5_000],
    ['Tue, 20 Oct 2026 07:28:00 GMT', 0],
  ])('reads %j as %d ms', (header, ms) => {
    expect(retryAfterMs(header, now)).toBe(ms);
  });

  it.each([null, '', '-5', '1.5', '1e3', 'soon', 'Wed, 99 Foo 2026 GMT'])('ignores %j', (header) => {
    expect(retryAfterMs(header, now)).toBeUndefined();
  });
});
