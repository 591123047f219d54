import { assignVariant, defineExperiment, exposureFor, type ExposureEvent } from '@bucketry/core';
import { describe, expect, it } from 'vitest';
import { exposureToSegment, identityOf, outcomeToSegment } from './segment.mjs';

const exposure = (unit: string): ExposureEvent => ({
  event: 'experiment_exposure',
  experiment: 'skill_tree_layout',
  variant: 'list',
  unit,
  reason: 'bucketed',
  bucket: 42_000,
  timestamp: '2025-06-02T08:00:00.000Z',
  configVersion: 'abcd1234',
  eventId: `event-${unit}`,
});

describe('Segment track calls', () => {
  it('turns an exposure into a track call with the runbook’s properties', () => {
    expect(exposureToSegment(exposure('user-1'))).toEqual({
      type: 'track',
      event: 'experiment_exposure',
      userId: 'user-1',
      properties: { experiment: 'skill_tree_layout', variant: 'list', reason: 'bucketed', bucket: 42_000, configVersion: 'abcd1234' },
      timestamp: '2025-06-02T08:00:00.000Z',
      messageId: 'event-user-1',
    });
  });

  it('gives an exposure its eventId as messageId: the same event re-sent keeps it, and each exposure has its own', () => {
    const layout = defineExperiment({ key: 'skill_tree_layout', variants: ['tree', 'list'], rollout: 100 });
    const exposed = (at = 0, configVersion = layout.version) => exposureFor(assignVariant(layout, 'user-1'), configVersion, at)!;
    const first = exposed();
    expect(exposureToSegment(first).messageId).toBe(first.eventId);
    // A collector drops a repeated messageId as a duplicate: the same user exposed again (twice in
    // the same millisecond, at a ramp's new configuration, at another time) must be kept.
    const ids = [first, exposed(), exposed(0, 'ef567890'), exposed(7 * 86_400_000)].map((event) => exposureToSegment(event).messageId);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('writes issued anonymous ids as anonymousId, anything else as userId', () => {
    expect(identityOf('1b4e28ba-2fa1-4d3b-a3f5-ef19b5a7633b')).toEqual({ anonymousId: '1b4e28ba-2fa1-4d3b-a3f5-ef19b5a7633b' });
    expect(identityOf('user-1')).toEqual({ userId: 'user-1' });
  });

  it('writes outcomes with the unit the middleware found', () => {
    const at = Date.parse('2025-06-02T08:00:00.000Z');
    const properties = { experiment: 'skill_tree_layout', variant: 'tree' };
    expect(outcomeToSegment('session_started_from_tree', { kind: 'user', id: 'u1' }, properties, at)).toEqual({
      type: 'track',
      event: 'session_started_from_tree',
      userId: 'u1',
      properties,
      timestamp: '2025-06-02T08:00:00.000Z',
      messageId: expect.stringMatching(/^[0-9a-f-]{36}$/),
    });
    expect(outcomeToSegment('x', { kind: 'anonymous', id: 'a1', issued: false }, {}, at)).toMatchObject({ anonymousId: 'a1' });
  });
});
