import { afterEach, describe, expect, it, vi } from 'vitest';
import { assignVariant } from './assign.js';
import { createBucketry } from './client.js';
import { newEventId } from './event-id.js';
import { defineExperiment } from './experiment.js';
import { exposureFor, type ExposureEvent } from './exposure.js';
import { createBatchingSink } from './sinks/batching-sink.js';
import { createMemorySink } from './sinks/memory-sink.js';

// Every exposure carries an eventId (#21): a retry re-sends the same one, and no two exposures share one.

const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const config = { key: 'skill_tree_layout', variants: ['tree', 'list'], rollout: 50 } as const;
const experiment = defineExperiment(config);
const NOW = Date.UTC(2026, 0, 2, 3, 4, 5, 6);

afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllGlobals();
});

describe('eventId', () => {
  it('is a version-4 UUID, new for each event, even for the same assignment at the same millisecond', () => {
    const assignment = assignVariant(experiment, 'user-1');
    const ids = Array.from({ length: 1_000 }, () => exposureFor(assignment, experiment.version, NOW)!.eventId);
    for (const id of ids) expect(id).toMatch(UUID_V4);
    expect(new Set(ids).size).toBe(1_000);
  });

  it('is the one given to exposureFor, when given', () => {
    expect(exposureFor(assignVariant(experiment, 'user-1'), 'v1', NOW, 'my-id')!.eventId).toBe('my-id');
  });

  it('differs between the exposures the client writes', () => {
    const sink = createMemorySink();
    const bucketry = createBucketry({ experiments: [config], sink, dedupe: false, now: () => NOW });
    for (let i = 0; i < 200; i++) bucketry.assign('skill_tree_layout', `user-${i % 50}`);
    const exposed = sink.events.length;
    expect(exposed).toBe(200); // rollout 50: control units are in the experiment too
    expect(new Set(sink.events.map((e) => e.eventId)).size).toBe(exposed);
  });

  it('is the same on every attempt to deliver an event, as the collector receives it', async () => {
    vi.useFakeTimers();
    const received: ExposureEvent[][] = [];
    const sink = createBatchingSink({
      random: () => 0,
      deliver: (events) => {
        received.push(JSON.parse(JSON.stringify(events)) as ExposureEvent[]);
        if (received.length < 3) throw new Error('collector down');
      },
    });
    const bucketry = createBucketry({ experiments: [config], sink });
    for (let i = 0; i < 5; i++) bucketry.assign('skill_tree_layout', `user-${i}`);
    const flushed = bucketry.flush();
    await vi.advanceTimersByTimeAsync(1_000);
    await flushed;
    expect(received).toHaveLength(3);
    const ids = received.map((batch) => batch.map((e) => e.eventId));
    expect(ids[0]).toHaveLength(5);
    expect(new Set(ids[0]).size).toBe(5);
    expect(ids[1]).toEqual(ids[0]);
    expect(ids[2]).toEqual(ids[0]);
  });

  it('is still a version-4 UUID, unique, where crypto.randomUUID is missing or throws, and assign never throws for it', () => {
    for (const crypto of [undefined, {}, { randomUUID: () => { throw new Error('no entropy'); } }, { randomUUID: () => 42 }]) {
      vi.stubGlobal('crypto', crypto);
      const sink = createMemorySink();
      const bucketry = createBucketry({ experiments: [config], sink, dedupe: false });
      for (let i = 0; i < 500; i++) expect(() => bucketry.assign('skill_tree_layout', 'user-1')).not.toThrow();
      const ids = sink.events.map((e) => e.eventId);
      for (const id of ids) expect(id, JSON.stringify(crypto)).toMatch(UUID_V4);
      expect(new Set(ids).size).toBe(ids.length);
      vi.unstubAllGlobals();
    }
  });
});

// Where an event id comes from: crypto.randomUUID when the runtime has it, else Math.random
// spread over every random digit of a version-4 UUID (4 bits per x, 2 in the variant digit y).
describe('newEventId', () => {
  it("is crypto.randomUUID's id when the runtime gives one", () => {
    const id = '0f8b2c4e-1a2b-4c3d-9e8f-0123456789ab';
    vi.stubGlobal('crypto', { randomUUID: () => id });
    expect(newEventId()).toBe(id);
  });

  it('without crypto, uses every hex digit in the random places and 8, 9, a and b in the variant place', () => {
    vi.stubGlobal('crypto', undefined);
    const ids = Array.from({ length: 400 }, () => newEventId());
    const random = new Set(ids.flatMap((id) => [...id.slice(0, 8), ...id.slice(9, 13), ...id.slice(15, 18), ...id.slice(20, 23), ...id.slice(24)]));
    expect([...random].sort().join('')).toBe('0123456789abcdef');
    expect([...new Set(ids.map((id) => id[19]))].sort().join('')).toBe('89ab');
    expect(new Set(ids.map((id) => id[14]))).toEqual(new Set(['4']));
  });
});
