import { describe, expect, it } from 'vitest';
import { Random } from '@bucketry/stats';
import { parseTimestamp } from './timestamp.js';

const at = Date.UTC(2025, 5, 2, 8, 0, 0);

describe('parseTimestamp', () => {
  it('reads ISO 8601 in UTC and with offsets', () => {
    expect(parseTimestamp('2025-06-02T08:00:00.000Z')).toBe(at);
    expect(parseTimestamp('2025-06-02T08:00:00Z')).toBe(at);
    expect(parseTimestamp('2025-06-02T10:00:00+02:00')).toBe(at);
    expect(parseTimestamp('2025-06-02T03:30:00-0430')).toBe(at);
    expect(parseTimestamp('2025-06-02T08:00:00.250Z')).toBe(at + 250);
  });

  it("reads Amplitude's event_time as UTC, microseconds included", () => {
    expect(parseTimestamp('2025-06-02 08:00:00.123456')).toBeCloseTo(at + 123.456, 6);
    expect(parseTimestamp('2025-06-02 08:00:00')).toBe(at);
  });

  it('reads epoch milliseconds and seconds', () => {
    expect(parseTimestamp(at)).toBe(at);
    expect(parseTimestamp(at / 1000)).toBe(at);
  });

  it('reads toISOString() output exactly as Date.parse does, and its other fixed-width forms, leap days included', () => {
    const random = new Random(12);
    for (let i = 0; i < 20_000; i++) {
      const ms = Math.floor(random.next() * 6e12) - 1e12; // 1938 to 2160
      const iso = new Date(ms).toISOString();
      expect(parseTimestamp(iso), iso).toBe(ms);
      const seconds = Math.floor(ms / 1000) * 1000;
      expect(parseTimestamp(iso.slice(0, 19) + 'Z')).toBe(seconds);
      expect(parseTimestamp(iso.slice(0, 19))).toBe(seconds);
      expect(parseTimestamp(`${iso.slice(0, 10)} ${iso.slice(11, 23)}`)).toBe(ms);
      expect(parseTimestamp(`${iso.slice(0, 10)} ${iso.slice(11, 23)}250`)).toBeCloseTo(ms + 0.25, 6);
    }
    expect(parseTimestamp('2024-02-29T12:00:00.000Z')).toBe(Date.UTC(2024, 1, 29, 12));
    expect(parseTimestamp('2000-02-29T00:00:00.000Z')).toBe(Date.UTC(2000, 1, 29));
    expect(parseTimestamp('2023-02-29T12:00:00.000Z')).toBeNaN();
    expect(parseTimestamp('1900-02-29T12:00:00.000Z')).toBeNaN();
  });

  it('gives NaN for what is not a timestamp', () => {
    for (const bad of ['yesterday', '', '2025-06-02T08:00:00.00xZ', '2025-06-31T08:00:00.000Z', '2025-06-02T08:60:00.000Z', 'xxxx-06-02T08:00:00.000Z', '2025-13-01T00:00:00Z', '2025-02-30 10:00:00', '2025-06-02', '2025-06-02T25:00:00Z', null, true, -5, {}]) {
      expect(parseTimestamp(bad), String(bad)).toBeNaN();
    }
  });
});
