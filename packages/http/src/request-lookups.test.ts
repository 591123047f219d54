import { createBucketry, createMemorySink, defineExperiment, type Bucketry, type Experiment } from '@bucketry/core';
import { describe, expect, it, vi } from 'vitest';
import { isAnonymousId } from './anonymous-id.js';
import type { HttpErrorContext } from './error-context.js';
import { RequestAssignments } from './request-assignments.js';
import { resolveHttpSettings, type HttpExperimentOptions } from './settings.js';

// How RequestAssignments looks up the unit, the attributes and the QA overrides of a request:
// what counts as "no user", that each lookup runs once per request, and what a failed lookup
// leaves on the assignment.
interface FakeRequest {
  readonly user?: unknown;
  readonly override?: string;
}

const everyone = defineExperiment({ key: 'everyone', variants: ['tree', 'list'], rollout: 100 });
const other = defineExperiment({ key: 'other', variants: ['off', 'on'], rollout: 100 });
const experiments: Experiment[] = [everyone, other];
type Exchange = ConstructorParameters<typeof RequestAssignments<FakeRequest>>[1];

function setUp(options: Omit<HttpExperimentOptions<FakeRequest>, 'onError'> = {}) {
  const sink = createMemorySink();
  const errors: { error: unknown; context: HttpErrorContext }[] = [];
  const headerReads: string[] = [];
  const { settings } = resolveHttpSettings<FakeRequest, Experiment>(
    '@bucketry/test',
    { ...(options.client === undefined && { experiments, sink }), onError: (error, context) => errors.push({ error, context }), ...options },
    { header: (req, name) => (headerReads.push(name), req.override), search: () => '' },
  );
  const cookies: string[] = [];
  const request = (req: FakeRequest = {}, exchange: Partial<Exchange> = {}) =>
    new RequestAssignments(settings, { request: req, cookieHeader: undefined, isSecure: () => false, setHeader: () => {}, addCookie: (c) => cookies.push(c), ...exchange });
  return { sink, errors, request, cookies, headerReads };
}

describe('who the request is about', () => {
  it('without a user option, a visitor gets an anonymous id and nothing is reported', () => {
    const { errors, request, cookies } = setUp();
    const assignments = request();
    const shown = assignments.show('everyone');
    expect(shown).toMatchObject({ inExperiment: true, reason: 'bucketed' });
    expect(isAnonymousId(shown.unit)).toBe(true);
    expect(assignments.unit()).toEqual({ kind: 'anonymous', id: shown.unit, issued: true });
    expect(cookies[0]).toMatch(/^bucketry_uid=/);
    expect(errors).toEqual([]);
  });

  it.each([
    ['null', null],
    ['undefined', undefined],
    ['an empty string', ''],
  ])('a user function returning %s means a visitor: an anonymous id, nothing reported', (_name, user) => {
    const { errors, request } = setUp({ user: (req) => req.user as never });
    const assignments = request({ user });
    expect(assignments.unit()).toMatchObject({ kind: 'anonymous', issued: true });
    expect(assignments.show('everyone')).toMatchObject({ inExperiment: true, reason: 'bucketed' });
    expect(errors).toEqual([]);
  });

  it('a compound user is keyed by its canonical key', () => {
    const { request } = setUp({ user: (req) => req.user as never });
    const assignments = request({ user: { tenantId: 'acme', userId: '42' } });
    const shown = assignments.show('everyone');
    expect(assignments.unit()).toEqual({ kind: 'user', id: shown.unit });
    expect(shown.unit).not.toBe('');
  });
});

describe('each lookup runs once per request', () => {
  it('attributes, the user and the override header are read once, however many experiments are decided', () => {
    const attributes = vi.fn(() => ({ plan: 'pro' }));
    const user = vi.fn(() => 'user-1');
    const { request, headerReads } = setUp({ user, attributes, qaOverrides: { enabled: true } });
    const assignments = request({ override: 'other:off' });
    expect(assignments.show('everyone')).toMatchObject({ experiment: 'everyone', variant: 'list', reason: 'bucketed' });
    expect(assignments.show('other')).toMatchObject({ experiment: 'other', variant: 'off', reason: 'override' });
    expect(assignments.peek('everyone').experiment).toBe('everyone');
    expect([attributes.mock.calls.length, user.mock.calls.length, headerReads.length]).toEqual([1, 1, 1]);
  });

  it('decides each experiment for itself, not from another one already decided', () => {
    const { request } = setUp({ user: () => 'user-1' });
    const assignments = request();
    expect(assignments.peek('everyone')).toMatchObject({ experiment: 'everyone', variant: 'list' });
    expect(assignments.peek('other')).toMatchObject({ experiment: 'other', variant: 'on' });
    expect(assignments.shown()).toEqual({});
  });
});

describe('attributes', () => {
  it.each([
    ['null', null],
    ['undefined', undefined],
  ])('an attributes function returning %s: assigned as without attributes, nothing reported', (_name, value) => {
    const { errors, request } = setUp({ user: () => 'user-1', attributes: () => value });
    expect(request().show('everyone')).toMatchObject({ inExperiment: true, reason: 'bucketed', unit: 'user-1' });
    expect(errors).toEqual([]);
  });

  it('a failed attributes lookup gives control with the unit that was found, or "" with none', () => {
    const failure = new Error('attributes down');
    const throwing = () => {
      throw failure;
    };
    const signedIn = setUp({ user: () => 'user-1', attributes: throwing });
    expect(signedIn.request().show('everyone')).toEqual({
      experiment: 'everyone',
      variant: 'tree',
      inExperiment: false,
      reason: 'error',
      bucket: -1,
      unit: 'user-1',
      error: failure,
    });
    const nobody = setUp({ anonymousId: false, attributes: throwing });
    expect(nobody.request().show('everyone')).toMatchObject({ variant: 'tree', reason: 'error', bucket: -1, unit: '', error: failure });
  });

  it('a failed user lookup gives control with bucket -1 and no unit', () => {
    const failure = new Error('session store down');
    const { request, errors } = setUp({
      user: () => {
        throw failure;
      },
    });
    expect(request().show('everyone')).toEqual({ experiment: 'everyone', variant: 'tree', inExperiment: false, reason: 'error', bucket: -1, unit: '', error: failure });
    expect(errors).toMatchObject([{ error: failure, context: { source: 'unit' } }]);
  });
});

describe('failures around the client and the response', () => {
  it('a client whose peek throws: control with reason error, reported as "middleware" with the experiment', () => {
    const real = createBucketry({ experiments });
    const failure = new Error('client broke');
    const client: Bucketry = {
      ...real,
      peek: () => {
        throw failure;
      },
    };
    const { request, errors } = setUp({ client, user: () => 'user-1' });
    const assignments = request();
    expect(assignments.show('everyone')).toMatchObject({ experiment: 'everyone', variant: 'tree', inExperiment: false, reason: 'error', bucket: -1, error: failure });
    expect(assignments.exposed).toBe(0);
    expect(errors).toEqual([{ error: failure, context: { source: 'middleware', experiment: 'everyone' } }]);
  });

  it('a client whose expose throws: the assignment is shown, and the error is reported as "sink" with the experiment', () => {
    const real = createBucketry({ experiments });
    const failure = new Error('expose broke');
    const client: Bucketry = {
      ...real,
      expose: () => {
        throw failure;
      },
    };
    const { request, errors } = setUp({ client, user: () => 'user-1' });
    const headers = new Map<string, string>();
    const assignments = request({}, { setHeader: (name, value) => void headers.set(name, value) });
    let shown;
    expect(() => (shown = assignments.show('everyone'))).not.toThrow();
    expect(shown).toMatchObject({ variant: 'list', inExperiment: true, reason: 'bucketed', unit: 'user-1' });
    expect(headers.get('X-Experiment-Everyone')).toBe('list');
    expect(errors).toEqual([{ error: failure, context: { source: 'sink', experiment: 'everyone' } }]);
  });

  it.each([
    ['cookie', 'addCookie', { source: 'response' }],
    ['header', 'setHeader', { source: 'response', experiment: 'everyone' }],
  ] as const)('an exchange without responseStarted whose %s write throws: that error reported as "response", the assignment stands', (_name, write, context) => {
    const failure = new Error(`${write} broke`);
    const { request, errors } = setUp({ user: () => 'user-1' });
    const assignments = request({}, {
      [write]: () => {
        throw failure;
      },
    });
    expect(assignments.show('everyone')).toMatchObject({ variant: 'list', reason: 'bucketed' });
    expect(errors).toEqual([{ error: failure, context }]);
  });
});
