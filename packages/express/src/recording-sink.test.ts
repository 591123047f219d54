import { createMemorySink, type ExposureEvent } from '@bucketry/core';
import { describe, expect, it, vi } from 'vitest';
import { createRecentExposuresBuffer } from './recent-exposures-buffer.js';
import { recordingSink } from './recording-sink.js';

const event = (unit: string): ExposureEvent => ({
  event: 'experiment_exposure',
  experiment: 'skill_tree_layout',
  variant: 'list',
  unit,
  reason: 'bucketed',
  bucket: 1,
  timestamp: '2025-01-01T00:00:00.000Z',
  configVersion: 'v1',
  eventId: `event-${unit}`,
});

describe('recordingSink', () => {
  it('keeps each event in the buffer and passes it on', () => {
    const buffer = createRecentExposuresBuffer();
    const next = createMemorySink();
    const sink = recordingSink(buffer, next);
    sink.write(event('a'));
    sink.write(event('b'));
    expect(buffer.latest().map((e) => e.unit)).toEqual(['b', 'a']);
    expect(next.events.map((e) => e.unit)).toEqual(['a', 'b']);
  });

  it('keeps the event even when the next sink throws, and lets the throw through for the client to report', () => {
    const buffer = createRecentExposuresBuffer();
    const sink = recordingSink(buffer, {
      write() {
        throw new Error('down');
      },
    });
    expect(() => sink.write(event('a'))).toThrow('down');
    expect(buffer.size).toBe(1);
  });

  it('forwards flush and close, and works without a next sink', async () => {
    const flush = vi.fn(async () => {});
    const close = vi.fn(async () => {});
    const sink = recordingSink(createRecentExposuresBuffer(), { write() {}, flush, close });
    await sink.flush!();
    await sink.close!();
    expect(flush).toHaveBeenCalledOnce();
    expect(close).toHaveBeenCalledOnce();
    const alone = recordingSink(createRecentExposuresBuffer());
    expect(alone.write(event('a'))).toBeUndefined();
    await expect(alone.close!()).resolves.toBeUndefined();
  });
});
