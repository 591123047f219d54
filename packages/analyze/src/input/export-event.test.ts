import { describe, expect, it } from 'vitest';
import { readExportEvent } from './export-event.js';

const at = Date.UTC(2025, 5, 2, 8, 0, 0);
const iso = new Date(at).toISOString();

const event = (value: unknown) => {
  const result = readExportEvent(value);
  if ('category' in result) throw new Error(`expected an event, got: ${result.message}`);
  return result;
};
const reason = (value: unknown) => {
  const result = readExportEvent(value);
  if (!('category' in result)) throw new Error('expected a bad line');
  return result;
};

describe('readExportEvent', () => {
  it('reads a Segment track call, preferring userId over anonymousId', () => {
    const e = event({ type: 'track', event: 'experiment_exposure', userId: 'u1', anonymousId: 'a1', timestamp: iso, properties: { experiment: 'x', variant: 'list' } });
    expect(e).toMatchObject({ flavor: 'segment', name: 'experiment_exposure', unit: 'u1', time: at });
    expect(e.properties).toEqual({ experiment: 'x', variant: 'list' });
    expect(event({ event: 'page_viewed', anonymousId: 'a1', timestamp: iso }).unit).toBe('a1');
    expect(event({ event: 'page_viewed', userId: null, anonymousId: 'a1', originalTimestamp: iso }).time).toBe(at);
  });

  it('reads an Amplitude export row, preferring user_id over device_id', () => {
    const e = event({ event_type: 'session_started_from_tree', user_id: null, device_id: 'd-9', event_time: '2025-06-02 08:00:00.000000', event_properties: { duration_ms: 12 } });
    expect(e).toMatchObject({ flavor: 'amplitude', name: 'session_started_from_tree', unit: 'd-9', time: at, properties: { duration_ms: 12 } });
    expect(event({ event_type: 'x', user_id: 42, device_id: 'd', event_time: at }).unit).toBe('42');
  });

  it("reads a Bucketry sink's own exposure JSON", () => {
    const e = event({ event: 'experiment_exposure', experiment: 'x', variant: 'tree', unit: 'u7', reason: 'bucketed', bucket: 5, timestamp: iso, configVersion: 'v2' });
    expect(e).toMatchObject({ flavor: 'bucketry', unit: 'u7', time: at });
    expect(e.properties).toMatchObject({ experiment: 'x', variant: 'tree', configVersion: 'v2' });
  });

  it('says what is missing or wrong, naming the field and the value', () => {
    expect(reason([1, 2])).toMatchObject({ category: 'not a JSON object', message: 'not a JSON object (an array)' });
    expect(reason('text').message).toBe('not a JSON object ("text")');
    expect(reason({ userId: 'u', timestamp: iso }).category).toBe('missing event name');
    expect(reason({ event: '', userId: 'u', timestamp: iso }).message).toBe('event name is "", must be a non-empty string');
    expect(reason({ event: 'e', timestamp: iso }).message).toBe('missing unit: no userId or anonymousId on "e"');
    expect(reason({ event_type: 'e', event_time: iso }).message).toBe('missing unit: no user_id or device_id on "e"');
    expect(reason({ event: 'e', userId: 'u' }).message).toBe('missing timestamp: no timestamp on "e"');
    expect(reason({ event: 'e', userId: 'u', timestamp: 'yesterday' })).toMatchObject({
      category: 'bad timestamp',
      message: expect.stringContaining('bad timestamp "yesterday" in timestamp: must be ISO 8601'),
    });
    expect(reason({ event: 'e', userId: 'u', timestamp: iso, properties: 'x' }).message).toBe('properties is "x", must be an object');
    // Each flavor names its own fields.
    expect(reason({ event: 'e', unit: '', timestamp: iso }).message).toBe('missing unit: no unit on "e"');
    expect(reason({ event_type: 'e', user_id: 'u', event_time: iso, event_properties: [1] }).message).toBe('event_properties is [1], must be an object');
    expect(reason({ event_type: 'e', user_id: 'u' }).message).toBe('missing timestamp: no time on "e"');
    expect(reason({ event: 'e', userId: 'u', originalTimestamp: 'later' }).message).toMatch(/^bad timestamp "later" in originalTimestamp:/);
  });
});
