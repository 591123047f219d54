import { createMemorySink, defineExperiment, type Experiment } from '@bucketry/core';
import { describe, expect, it } from 'vitest';
import { RequestAssignments } from './request-assignments.js';
import { resolveHttpSettings, type HttpExperimentOptions } from './settings.js';

// RequestAssignments.exposed: how many exposures one request handed to the client. The Next
// adapter keeps the request alive (waitUntil) to deliver them only when it is above 0.
interface FakeRequest {
  readonly user?: string;
  readonly override?: string;
}

const everyone = defineExperiment({ key: 'everyone', variants: ['tree', 'list'], rollout: 100 });
const second = defineExperiment({ key: 'second', variants: ['off', 'on'], rollout: 100 });
const nobody = defineExperiment({ key: 'nobody', variants: ['tree', 'list'], rollout: 100, traffic: 0 });
const killed = defineExperiment({ key: 'killed', variants: ['tree', 'list'], rollout: 100, enabled: false });

function setUp(options: Omit<HttpExperimentOptions<FakeRequest>, 'experiments' | 'client'> = {}, experiments: Experiment[] = [everyone, second, nobody, killed]) {
  const sink = createMemorySink();
  const { settings } = resolveHttpSettings<FakeRequest, Experiment>(
    '@bucketry/test',
    { sink, user: (req) => req.user, qaOverrides: { enabled: true }, onError: () => {}, ...options, experiments },
    { header: (req, name) => (name === 'x-bucketry-override' ? req.override : undefined), search: () => '' },
  );
  type Exchange = ConstructorParameters<typeof RequestAssignments<FakeRequest>>[1];
  const request = (req: FakeRequest = {}, cookieHeader?: string) => {
    const exchange: Exchange = { request: req, cookieHeader, isSecure: () => false, setHeader: () => {}, addCookie: () => {} };
    return new RequestAssignments(settings, exchange);
  };
  return { sink, request };
}

describe('RequestAssignments.exposed', () => {
  it('is 0 for a new request, and counts one exposure per experiment shown to a unit in it', () => {
    const { sink, request } = setUp();
    const assignments = request({ user: 'user-1' });
    expect(assignments.exposed).toBe(0);
    expect(assignments.show('everyone')).toMatchObject({ inExperiment: true, reason: 'bucketed' });
    expect(assignments.exposed).toBe(1);
    assignments.show('everyone'); // shown once per request
    expect(assignments.exposed).toBe(1);
    expect(assignments.show('second')).toMatchObject({ inExperiment: true });
    expect(assignments.exposed).toBe(2);
    expect(sink.events.map((e) => e.experiment)).toEqual(['everyone', 'second']);
  });

  it('stays 0 for peek, for show(key, false), and for units not in the experiment', () => {
    const { sink, request } = setUp();
    const assignments = request({ user: 'user-1' });
    expect(assignments.peek('everyone').inExperiment).toBe(true);
    expect(assignments.exposed).toBe(0);
    assignments.show('everyone', false);
    expect(assignments.exposed).toBe(0);
    expect(assignments.show('nobody')).toMatchObject({ inExperiment: false, reason: 'traffic' });
    expect(assignments.show('killed')).toMatchObject({ inExperiment: false, reason: 'disabled' });
    expect(assignments.exposed).toBe(0);
    expect(sink.events).toEqual([]);
  });

  it('counts a QA override exactly as the client is handed it: exposed matches what reached the sink', () => {
    const withUnit = setUp();
    const overridden = withUnit.request({ user: 'user-1', override: 'everyone:tree' });
    expect(overridden.show('everyone')).toMatchObject({ variant: 'tree', reason: 'override', unit: 'user-1' });
    expect(overridden.exposed).toBe(withUnit.sink.events.length);

    // Without a unit there is nothing to expose.
    const noUnit = setUp({ anonymousId: false });
    const anonymous = noUnit.request({ override: 'everyone:tree' });
    expect(anonymous.show('everyone')).toMatchObject({ variant: 'tree', unit: '' });
    expect(anonymous.exposed).toBe(0);
    expect(noUnit.sink.events).toEqual([]);
  });

  it('stays 0 for a killed experiment even with an override, and for a request with no unit', () => {
    const killedOverride = setUp();
    const assignments = killedOverride.request({ user: 'user-1', override: 'killed:list' });
    expect(assignments.show('killed')).toMatchObject({ variant: 'tree', reason: 'disabled' });
    expect(assignments.exposed).toBe(0);
    expect(killedOverride.sink.events).toEqual([]);

    const noUnit = setUp({ anonymousId: false });
    const visitor = noUnit.request({});
    expect(visitor.show('everyone')).toMatchObject({ variant: 'tree', inExperiment: false, reason: 'missing_unit' });
    expect(visitor.exposed).toBe(0);
    expect(noUnit.sink.events).toEqual([]);
  });

  it('counts what this request handed to the client, before the client de-duplicates', () => {
    const { sink, request } = setUp();
    const first = request({ user: 'user-1' });
    const again = request({ user: 'user-1' });
    first.show('everyone');
    again.show('everyone');
    expect([first.exposed, again.exposed]).toEqual([1, 1]);
    expect(sink.events).toHaveLength(1);
  });
});
