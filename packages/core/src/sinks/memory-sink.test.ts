import { describe, expect, it } from 'vitest';
import { EXPOSURE_EVENT, type ExposureEvent } from '../exposure.js';
import { createMemorySink } from './memory-sink.js';

const event = (unit: string): ExposureEvent => ({
  event: EXPOSURE_EVENT,
  experiment: 'skill_tree_layout',
  variant: 'list',
  unit,
  reason: 'bucketed',
  bucket: 42,
  timestamp: '2026-01-01T00:00:00.000Z',
  configVersion: 'v1',
  eventId: `event-${unit}`,
});

describe('createMemorySink', () => {
  it('keeps every event written, oldest first, as the same objects', () => {
    const sink = createMemorySink();
    const first = event('user-1');
    const second = event('user-2');
    expect(sink.write(first)).toBeUndefined();
    sink.write(second);
    sink.write(first);
    expect(sink.events).toEqual([first, second, first]);
    expect(sink.events[0]).toBe(first);
  });

  it('clear empties the same array callers hold', () => {
    const sink = createMemorySink();
    const held = sink.events;
    sink.write(event('user-1'));
    sink.clear();
    expect(held).toHaveLength(0);
    expect(sink.events).toBe(held);
    sink.write(event('user-2'));
    expect(held.map((e) => e.unit)).toEqual(['user-2']);
  });

  it('flush and close resolve and keep the events', async () => {
    const sink = createMemorySink();
    sink.write(event('user-1'));
    await expect(sink.flush!()).resolves.toBeUndefined();
    await expect(sink.close!()).resolves.toBeUndefined();
    expect(sink.events).toHaveLength(1);
  });

  it('gives each sink its own events', () => {
    const a = createMemorySink();
    const b = createMemorySink();
    a.write(event('user-1'));
    expect(b.events).toHaveLength(0);
  });
});
