import { describe, expect, it, vi } from 'vitest';
import { createBucketry } from './client.js';
import { withDedupe } from './sinks/dedupe.js';

// A sink's write may return anything: a plain JS sink such as `(event) => events.push(event)`
// returns a number. Only a thenable is waited on; any other value is a successful write.
const config = { key: 'checkout', variants: ['tree', 'list'], rollout: 100 } as const;

describe('what a sink write returns', () => {
  it.each([
    ['a number (Array.prototype.push)', 1],
    ['true', true],
    ['an object without then', { ok: true }],
    ['an object whose then is not a function', { then: 'later' }],
  ])('%s: written once, no error reported', (_name, result) => {
    const onError = vi.fn();
    const write = vi.fn(() => result as never);
    const bucketry = createBucketry({ experiments: [config], sink: { write }, onError });
    expect(bucketry.assign('checkout', 'user-1').variant).toBe('list');
    bucketry.assign('checkout', 'user-1'); // remembered: not written again
    expect(write).toHaveBeenCalledTimes(1);
    expect(onError).not.toHaveBeenCalled();
  });

  it('withDedupe passes such a write through without turning it into an error', () => {
    const events: unknown[] = [];
    const sink = withDedupe({ write: (event) => events.push(event) as never });
    const event = { event: 'experiment_exposure', experiment: 'checkout', variant: 'list', unit: 'u1', reason: 'bucketed', bucket: 1, timestamp: '', configVersion: 'v', eventId: 'e1' } as const;
    expect(() => sink.write(event)).not.toThrow();
    sink.write(event);
    expect(events).toHaveLength(1);
  });
});
