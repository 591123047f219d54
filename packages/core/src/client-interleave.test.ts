import { describe, expect, it } from 'vitest';
import { createBucketry } from './client.js';
import { defineExperiment } from './experiment.js';
import { interleave, type InterleaveRequest } from './interleave.js';
import { createMemorySink } from './sinks/memory-sink.js';
import { withDedupe } from './sinks/dedupe.js';
import type { ExposureEvent } from './exposure.js';

const order = defineExperiment({ key: 'skill_order', variants: ['ranker_a', 'interleaved'], rollout: 100 });
const request = { query: 'home', a: ['s1', 's2', 's3'], b: ['s3', 's4', 's1'], length: 3 };

// What an app does: interleave for the unit, show the list, expose it.
const showAndExpose = (bucketry: ReturnType<typeof createBucketry>, unit: string, given: InterleaveRequest) => {
  const shown = interleave(bucketry.experiment('skill_order'), unit, given);
  bucketry.expose(shown);
  return shown;
};

describe('bucketry.expose of an interleaved list', () => {
  it('writes one exposure per unit, query and list, recording the items and their teams', () => {
    const sink = createMemorySink();
    const bucketry = createBucketry({ experiments: [order], sink });
    const shown = showAndExpose(bucketry, 'user-1', request);
    showAndExpose(bucketry, 'user-1', request);
    expect(sink.events).toHaveLength(1);
    expect(sink.events[0]).toMatchObject({
      experiment: 'skill_order',
      variant: 'interleaved',
      unit: 'user-1',
      interleaving: { query: 'home', method: 'team-draft', items: shown.items.map((i) => i.id), teams: shown.items.map((i) => i.team) },
    });
    // Another query, or another list for the same query, is another exposure.
    showAndExpose(bucketry, 'user-1', { ...request, query: 'search:rust' });
    showAndExpose(bucketry, 'user-1', { ...request, b: ['s9', 's8'] });
    showAndExpose(bucketry, 'user-1', request);
    expect(sink.events.map((e) => e.interleaving?.query)).toEqual(['home', 'search:rust', 'home']);
    expect(sink.events[2]!.interleaving?.items).not.toEqual(sink.events[0]!.interleaving?.items);
  });

  it('writes a list again after its write failed, and reports the failure', async () => {
    let down = true;
    const written: ExposureEvent[] = [];
    const sink = { write: (event: ExposureEvent) => (down ? Promise.reject(new Error('collector down')) : void written.push(event)) };
    const errors: unknown[] = [];
    const bucketry = createBucketry({ experiments: [order], sink, onError: (error) => errors.push(error) });
    showAndExpose(bucketry, 'user-1', request);
    await new Promise((settled) => setTimeout(settled, 0));
    expect(errors).toEqual([new Error('collector down')]);
    down = false;
    const shown = showAndExpose(bucketry, 'user-1', request);
    showAndExpose(bucketry, 'user-1', request);
    expect(written.map((e) => e.interleaving?.items)).toEqual([shown.items.map((i) => i.id)]);
  });

  it('exposes nobody the experiment keeps out', () => {
    const sink = createMemorySink();
    const killed = defineExperiment({ key: 'skill_order', variants: ['ranker_a', 'interleaved'], rollout: 0 });
    const bucketry = createBucketry({ experiments: [killed], sink });
    expect(showAndExpose(bucketry, 'user-1', request).items.map((i) => i.id)).toEqual(['s1', 's2', 's3']);
    expect(sink.events).toHaveLength(0);
  });

  it('exposes no unit in control: it is in the experiment but sees ranking A alone (docs/spec.md §13)', () => {
    const sink = createMemorySink();
    const half = defineExperiment({ key: 'skill_order', variants: ['ranker_a', 'interleaved'], rollout: 50 });
    const bucketry = createBucketry({ experiments: [half], sink });
    const lists = Array.from({ length: 40 }, (_, i) => showAndExpose(bucketry, `user-${i}`, request));
    const control = lists.filter((list) => list.assignment.inExperiment && list.assignment.variant === 'ranker_a');
    expect(control.length).toBeGreaterThan(5);
    expect(control.every((list) => !list.interleaved)).toBe(true);
    expect(sink.events.map((e) => e.unit).sort()).toEqual(lists.filter((list) => list.interleaved).map((list) => list.assignment.unit).sort());
  });

  it('writes nothing for a list a bad request left uninterleaved', () => {
    const sink = createMemorySink();
    const bucketry = createBucketry({ experiments: [order], sink });
    expect(showAndExpose(bucketry, 'user-1', { ...request, b: ['s1', 7] as never }).interleaved).toBe(false);
    expect(sink.events).toHaveLength(0);
  });

  it('withDedupe keeps interleaving exposures of different queries apart', async () => {
    const inner = createMemorySink();
    const sink = withDedupe(inner);
    const base = { event: 'experiment_exposure', experiment: 'skill_order', variant: 'interleaved', unit: 'u', reason: 'bucketed', bucket: 1, timestamp: '', configVersion: 'v', eventId: 'e' } as const;
    const shown = (query: string): ExposureEvent => ({ ...base, interleaving: { query, method: 'team-draft', items: ['s1'], teams: ['A'] } });
    await sink.write(shown('home'));
    await sink.write(shown('search'));
    await sink.write(shown('home'));
    expect(inner.events.map((e) => e.interleaving?.query)).toEqual(['home', 'search']);
  });
});
