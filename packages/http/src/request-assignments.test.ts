import { assignVariant, createMemorySink, defineExperiment, type ExperimentConfig } from '@bucketry/core';
import { describe, expect, it } from 'vitest';
import { unitWithVariant } from '../../../test-support/units.js';
import { isAnonymousId } from './anonymous-id.js';
import type { HttpErrorContext } from './error-context.js';
import type { HttpExchange } from './http-exchange.js';
import { RequestAssignments } from './request-assignments.js';
import type { RequestFacts } from './request-facts.js';
import { resolveHttpSettings, type HttpExperimentOptions } from './settings.js';

// A framework-free request: who is signed in, the Cookie header, and an override, if any.
interface FakeRequest {
  readonly user?: string;
  readonly override?: string;
}

const skillTreeAt = (rollout: number, extra: Partial<ExperimentConfig<'skill_tree_layout', 'tree' | 'list'>> = {}) =>
  defineExperiment({ key: 'skill_tree_layout', variants: ['tree', 'list'], rollout, ...extra });

function setUp(
  experiment: ReturnType<typeof skillTreeAt>,
  options: Omit<HttpExperimentOptions<FakeRequest>, 'experiments' | 'client'> = {},
  asyncLookupAdvice?: (option: 'user' | 'attributes') => string,
) {
  const sink = createMemorySink();
  const errors: { error: unknown; context: HttpErrorContext }[] = [];
  const { settings } = resolveHttpSettings<FakeRequest, typeof experiment>(
    '@bucketry/test',
    { sink, user: (req) => req.user, onError: (error, context) => errors.push({ error, context }), ...options, experiments: [experiment] },
    { header: (req, name) => (name === 'x-bucketry-override' ? req.override : undefined), search: () => '' },
    asyncLookupAdvice,
  );
  const exchange = (request: FakeRequest = {}, cookieHeader?: string, response: { secure?: boolean; started?: boolean; facts?: RequestFacts } = {}) => {
    const headers = new Map<string, string>();
    const cookies: string[] = [];
    let secureAsked = 0;
    const http: HttpExchange<FakeRequest> = {
      request,
      cookieHeader,
      isSecure: () => (secureAsked++, response.secure === true),
      setHeader: (name, value) => {
        if (response.started === true) throw new Error('headers already sent');
        headers.set(name, value);
      },
      addCookie: (cookie) => {
        if (response.started === true) throw new Error('headers already sent');
        cookies.push(cookie);
      },
      responseStarted: () => response.started === true,
      facts: response.facts,
    };
    return { assignments: new RequestAssignments(settings, http), headers, cookies, secureAsked: () => secureAsked };
  };
  return { sink, errors, exchange, settings };
}

describe('RequestAssignments', () => {
  const skillTree = skillTreeAt(50);

  it('shows a signed-in user’s assignment once: header, cookie and one exposure', () => {
    const { sink, exchange } = setUp(skillTree);
    const user = unitWithVariant(skillTree, 'list');
    const { assignments, headers, cookies } = exchange({ user });
    const shown = assignments.show('skill_tree_layout');
    expect(shown).toEqual(assignVariant(skillTree, user));
    expect(assignments.show('skill_tree_layout')).toBe(shown);
    expect(headers).toEqual(new Map([['X-Experiment-Skill-Tree-Layout', 'list']]));
    expect(cookies).toEqual(['exp_skill_tree_layout=list; Path=/; Max-Age=2592000; SameSite=Lax; HttpOnly']);
    expect(sink.events.map((e) => [e.unit, e.variant])).toEqual([[user, 'list']]);
    expect(assignments.exposed).toBe(1);
    expect(assignments.shown()).toEqual({ skill_tree_layout: 'list' });
    expect(assignments.unit()).toEqual({ kind: 'user', id: user });
  });

  it('writes no exposure when asked not to, and none for a unit outside the experiment', () => {
    const { sink, exchange } = setUp(skillTree);
    const user = unitWithVariant(skillTree, 'list');
    const quiet = exchange({ user });
    expect(quiet.assignments.show('skill_tree_layout', false).variant).toBe('list');
    expect(quiet.headers.get('X-Experiment-Skill-Tree-Layout')).toBe('list');
    expect(quiet.assignments.exposed).toBe(0);
    const disabled = setUp(skillTreeAt(50, { enabled: false }));
    const killed = disabled.exchange({ user }).assignments;
    killed.show('skill_tree_layout');
    expect([sink.events, disabled.sink.events, killed.exposed]).toEqual([[], [], 0]);
  });

  it('issues a visitor an anonymous id in its own cookie, and keeps a valid one', () => {
    const { exchange } = setUp(skillTree);
    const first = exchange();
    const assignment = first.assignments.show('skill_tree_layout');
    const issued = first.cookies.find((c) => c.startsWith('bucketry_uid='))!;
    const id = issued.slice('bucketry_uid='.length, issued.indexOf(';'));
    expect(isAnonymousId(id)).toBe(true);
    expect(issued).toBe(`bucketry_uid=${id}; Path=/; Max-Age=31536000; SameSite=Lax; HttpOnly`);
    expect(assignment).toEqual(assignVariant(skillTree, id));
    expect(first.assignments.unit()).toEqual({ kind: 'anonymous', id, issued: true });

    const again = exchange({}, `bucketry_uid=${id}; exp_skill_tree_layout=${assignment.variant}`);
    expect(again.assignments.show('skill_tree_layout')).toEqual(assignment);
    expect(again.cookies).toEqual([]);
    expect(again.assignments.unit()).toEqual({ kind: 'anonymous', id, issued: false });
  });

  it.each(['admin', '1B4E28BA-2FA1-4D3B-A3F5-EF19B5A7633B', '', 'user-1'])('replaces a tampered anonymous id (%j) with a fresh one', (tampered) => {
    const { exchange } = setUp(skillTree);
    const { assignments, cookies } = exchange({}, `bucketry_uid=${tampered}`);
    const unit = assignments.unit();
    expect(unit).toMatchObject({ kind: 'anonymous', issued: true });
    expect(unit.kind === 'anonymous' && unit.id).not.toBe(tampered);
    expect(cookies).toHaveLength(1);
  });

  it('never takes the variant from its cookie: a tampered or stale one is rewritten, a matching one left alone', () => {
    const { exchange } = setUp(skillTree);
    const treeUser = unitWithVariant(skillTree, 'tree');
    for (const cookie of ['exp_skill_tree_layout=list', 'exp_skill_tree_layout=hacker', 'exp_skill_tree_layout="list"']) {
      const { assignments, cookies } = exchange({ user: treeUser }, cookie);
      expect(assignments.show('skill_tree_layout').variant, cookie).toBe('tree');
      expect(cookies, cookie).toEqual(['exp_skill_tree_layout=tree; Path=/; Max-Age=2592000; SameSite=Lax; HttpOnly']);
    }
    expect(exchange({ user: treeUser }, 'exp_skill_tree_layout=tree').cookies).toEqual([]);
  });

  it.each([
    ['rollout 0', skillTreeAt(0)],
    ['enabled: false', skillTreeAt(100, { enabled: false })],
  ])('gives everyone control under the kill switch (%s), over a list cookie and a QA override', (_name, experiment) => {
    const { sink, exchange } = setUp(experiment, { qaOverrides: { enabled: true } });
    const { assignments, headers, cookies } = exchange({ user: 'user-1', override: 'skill_tree_layout:list' }, 'exp_skill_tree_layout=list');
    expect(assignments.show('skill_tree_layout')).toMatchObject({ variant: 'tree', inExperiment: false, reason: 'disabled' });
    expect(headers.get('X-Experiment-Skill-Tree-Layout')).toBe('tree');
    expect(cookies).toEqual(['exp_skill_tree_layout=tree; Path=/; Max-Age=2592000; SameSite=Lax; HttpOnly']);
    expect([sink.events, assignments.exposed]).toEqual([[], 0]);
  });

  it('never moves a list user back to tree as the rollout ramps 10 → 50 → 100', () => {
    const ids = Array.from({ length: 2000 }, (_, i) => `user-${i}`);
    const variantsAt = (rollout: number) => {
      const { exchange } = setUp(skillTreeAt(rollout));
      return ids.map((user) => exchange({ user }).assignments.show('skill_tree_layout').variant);
    };
    const [at10, at50, at100] = [variantsAt(10), variantsAt(50), variantsAt(100)];
    expect(at10.filter((v) => v === 'list').length).toBeGreaterThan(100);
    ids.forEach((_, i) => {
      if (at10[i] === 'list') expect(at50[i]).toBe('list');
      if (at50[i] === 'list') expect(at100[i]).toBe('list');
    });
    expect(at100.every((v) => v === 'list')).toBe(true);
  });

  describe('QA overrides', () => {
    it('are ignored unless enabled', () => {
      const { exchange } = setUp(skillTree);
      const treeUser = unitWithVariant(skillTree, 'tree');
      expect(exchange({ user: treeUser, override: 'skill_tree_layout:list' }).assignments.show('skill_tree_layout').variant).toBe('tree');
    });

    it('when enabled, force a known variant for the request, which is never exposed: QA traffic stays out of the analysis', () => {
      const { sink, exchange } = setUp(skillTree, { qaOverrides: { enabled: true } });
      const treeUser = unitWithVariant(skillTree, 'tree');
      const { assignments, headers, cookies } = exchange({ user: treeUser, override: 'skill_tree_layout:list' });
      expect(assignments.show('skill_tree_layout')).toEqual({
        experiment: 'skill_tree_layout',
        variant: 'list',
        inExperiment: false,
        reason: 'override',
        bucket: -1,
        unit: treeUser,
      });
      expect(headers.get('X-Experiment-Skill-Tree-Layout')).toBe('list');
      expect(cookies).toEqual(['exp_skill_tree_layout=list; Path=/; Max-Age=2592000; SameSite=Lax; HttpOnly']);
      expect([sink.events, assignments.exposed]).toEqual([[], 0]);
      // The next request without one is bucketed, and exposed, as usual.
      const after = exchange({ user: treeUser });
      expect(after.assignments.show('skill_tree_layout')).toMatchObject({ variant: 'tree', reason: 'bucketed' });
      expect([sink.events.map((e) => [e.variant, e.reason]), after.assignments.exposed]).toEqual([[['tree', 'bucketed']], 1]);
    });

    it('are not exposed even when they force the variant the unit is bucketed into', () => {
      const { sink, exchange } = setUp(skillTree, { qaOverrides: { enabled: true } });
      const listUser = unitWithVariant(skillTree, 'list');
      const { assignments } = exchange({ user: listUser, override: 'skill_tree_layout:list' });
      expect(assignments.show('skill_tree_layout')).toMatchObject({ variant: 'list', reason: 'override', inExperiment: false });
      expect([sink.events, assignments.exposed]).toEqual([[], 0]);
    });

    it('give a visitor without an id control: a missing unit comes before an override', () => {
      const { sink, exchange } = setUp(skillTreeAt(100), { anonymousId: false, qaOverrides: { enabled: true } });
      const { assignments } = exchange({ override: 'skill_tree_layout:list' });
      expect(assignments.show('skill_tree_layout')).toMatchObject({ variant: 'tree', reason: 'missing_unit', inExperiment: false });
      expect(sink.events).toEqual([]);
    });
  });

  describe('failures give control, are reported, and never throw', () => {
    // Control's value comes with it, as with every outcome of an experiment with values (spec §5.7).
    const valued = skillTreeAt(50, { values: { tree: { columns: 3 }, list: { columns: 1 } } });

    it('a user function that throws', () => {
      const failure = new Error('session store down');
      const { sink, errors, exchange } = setUp(valued, {
        user: () => {
          throw failure;
        },
      });
      const { assignments, cookies } = exchange();
      expect(assignments.show('skill_tree_layout')).toMatchObject({ variant: 'tree', value: { columns: 3 }, reason: 'error', inExperiment: false, error: failure });
      expect(assignments.unit()).toEqual({ kind: 'none' });
      expect(errors).toEqual([{ error: failure, context: { source: 'unit' } }]);
      expect(cookies).toEqual(['exp_skill_tree_layout=tree; Path=/; Max-Age=2592000; SameSite=Lax; HttpOnly']);
      expect(sink.events).toEqual([]);
    });

    it('a user function that returns something that is not a unit', () => {
      const { errors, exchange } = setUp(skillTree, { user: () => ({ tenantId: '' }) as never });
      expect(exchange().assignments.show('skill_tree_layout').reason).toBe('error');
      expect(String(errors[0]?.error)).toContain('@bucketry/test: user(req) must return a non-empty string');
    });

    it('an attributes function that throws', () => {
      const failure = new Error('geo lookup failed');
      const { errors, exchange } = setUp(valued, {
        attributes: () => {
          throw failure;
        },
      });
      expect(exchange({ user: 'user-1' }).assignments.show('skill_tree_layout')).toMatchObject({ variant: 'tree', value: { columns: 3 }, reason: 'error', unit: 'user-1' });
      expect(errors).toEqual([{ error: failure, context: { source: 'attributes' } }]);
    });

    describe('a user or attributes that is a promise (an async lookup)', () => {
      const later = <T>(value: T) => new Promise<T>((resolve) => setTimeout(() => resolve(value), 1));

      it('a user function that returns one: control, no anonymous id, reported with where to look the user up instead', () => {
        const { sink, errors, exchange } = setUp(skillTreeAt(100), { user: (async () => 'user-1') as never }, (option) => `Look the ${option} up earlier`);
        const { assignments, cookies } = exchange();
        expect(assignments.show('skill_tree_layout')).toMatchObject({ variant: 'tree', reason: 'error', inExperiment: false, unit: '' });
        expect(assignments.unit()).toEqual({ kind: 'none' });
        expect(errors).toEqual([
          {
            error: new TypeError('@bucketry/test: user(req) returned a Promise; it must return the user synchronously. Look the user up earlier'),
            context: { source: 'unit' },
          },
        ]);
        expect(errors[0]!.error).toBeInstanceOf(TypeError);
        expect(cookies).toEqual(['exp_skill_tree_layout=tree; Path=/; Max-Age=2592000; SameSite=Lax; HttpOnly']);
        expect(sink.events).toEqual([]);
      });

      it('an attributes function that returns one: control for the user, reported (with no advice from the adapter, none added)', () => {
        const { errors, exchange } = setUp(skillTreeAt(100), { attributes: () => later({ plan: 'pro' }) as never });
        expect(exchange({ user: 'user-1' }).assignments.show('skill_tree_layout')).toMatchObject({ variant: 'tree', reason: 'error', unit: 'user-1' });
        expect(errors).toEqual([
          {
            error: new TypeError('@bucketry/test: attributes(req) returned a Promise; it must return the attributes synchronously'),
            context: { source: 'attributes' },
          },
        ]);
      });

      it('facts given as promises: control, reported as given facts to await', () => {
        const { errors, exchange } = setUp(skillTreeAt(100));
        const given = (facts: RequestFacts) => exchange({}, undefined, { facts }).assignments.show('skill_tree_layout');
        expect(given({ user: later('user-1') as never })).toMatchObject({ variant: 'tree', reason: 'error' });
        expect(given({ user: 'user-1', attributes: later({}) as never })).toMatchObject({ variant: 'tree', reason: 'error', unit: 'user-1' });
        expect(errors).toEqual([
          { error: new TypeError('@bucketry/test: the user given for this request is a Promise; await it before passing it'), context: { source: 'unit' } },
          { error: new TypeError('@bucketry/test: the attributes given for this request are a Promise; await it before passing it'), context: { source: 'attributes' } },
        ]);
      });

      it('one that rejects later does not become an unhandled rejection', async () => {
        const unhandled: unknown[] = [];
        const onUnhandled = (reason: unknown) => unhandled.push(reason);
        process.on('unhandledRejection', onUnhandled);
        try {
          const rejectLater = () => new Promise((_, reject) => setTimeout(() => reject(new Error('session store down')), 1));
          const { errors, exchange } = setUp(skillTreeAt(100), { user: rejectLater as never, attributes: rejectLater as never });
          expect(exchange().assignments.show('skill_tree_layout').reason).toBe('error');
          expect(exchange({}, undefined, { facts: { user: 'user-1' } }).assignments.show('skill_tree_layout').reason).toBe('error');
          expect(errors.map((e) => e.context.source)).toEqual(['unit', 'attributes']);
          await new Promise((resolve) => setTimeout(resolve, 20));
          await new Promise((resolve) => setImmediate(resolve));
          expect(unhandled).toEqual([]);
        } finally {
          process.off('unhandledRejection', onUnhandled);
        }
      });
    });

    it('a sink that throws', () => {
      const failure = new Error('collector down');
      const { errors, exchange } = setUp(skillTree, {
        sink: {
          write: () => {
            throw failure;
          },
        },
      });
      const user = unitWithVariant(skillTree, 'list');
      expect(exchange({ user }).assignments.show('skill_tree_layout').variant).toBe('list');
      expect(errors.map((e) => [e.error, e.context.source])).toEqual([[failure, 'sink']]);
    });

    it('a response that has started: the assignment stands, the header and cookie are reported as not set', () => {
      const { errors, exchange } = setUp(skillTree);
      const user = unitWithVariant(skillTree, 'list');
      const { assignments, headers, cookies } = exchange({ user }, undefined, { started: true });
      expect(assignments.show('skill_tree_layout').variant).toBe('list');
      expect([headers.size, cookies.length]).toEqual([0, 0]);
      expect(errors.map((e) => e.context)).toEqual([{ source: 'response', experiment: 'skill_tree_layout' }]);
      expect(String(errors[0]!.error)).toBe('Error: response already started; X-Experiment-Skill-Tree-Layout and exp_skill_tree_layout not set');
      expect((errors[0]!.error as Error).cause).toEqual(new Error('headers already sent'));
    });

    it('a visitor on a response that has started: the new id and the variant cookie are reported as not set', () => {
      const { errors, exchange } = setUp(skillTree);
      const { assignments, cookies } = exchange({}, undefined, { started: true });
      expect(isAnonymousId(assignments.show('skill_tree_layout').unit)).toBe(true);
      expect(cookies).toEqual([]);
      expect(errors.map((e) => String(e.error))).toEqual([
        'Error: response already started; cookie bucketry_uid not set',
        'Error: response already started; X-Experiment-Skill-Tree-Layout and exp_skill_tree_layout not set',
      ]);
    });

    it('a header that cannot be written for another reason: that error, as thrown', () => {
      const { errors, settings } = setUp(skillTree);
      const refused = new TypeError('Invalid character in header content');
      const assignments = new RequestAssignments(settings, {
        request: { user: unitWithVariant(skillTree, 'list') },
        cookieHeader: undefined,
        isSecure: () => false,
        setHeader: () => {
          throw refused;
        },
        addCookie: () => {},
        responseStarted: () => false,
      });
      expect(assignments.show('skill_tree_layout').variant).toBe('list');
      expect(errors.map((e) => [e.error, e.context])).toEqual([[refused, { source: 'response', experiment: 'skill_tree_layout' }]]);
    });
  });

  it('throws for an unknown experiment: a programming error with no control to fall back to', () => {
    const { exchange } = setUp(skillTree);
    expect(() => exchange().assignments.show('nope')).toThrow('@bucketry/test: unknown experiment "nope"; known: skill_tree_layout');
  });

  it('peeks without header, variant cookie or exposure, but keeps a new visitor’s id', () => {
    const { sink, exchange } = setUp(skillTree);
    const { assignments, headers, cookies } = exchange();
    assignments.peek('skill_tree_layout');
    expect(headers.size).toBe(0);
    expect(cookies.map((c) => c.slice(0, c.indexOf('=')))).toEqual(['bucketry_uid']);
    expect(sink.events).toEqual([]);
    expect(assignments.shown()).toEqual({});
  });

  it('adds Secure over HTTPS, asking once per request', () => {
    const { exchange } = setUp(skillTree);
    const https = exchange({}, undefined, { secure: true });
    https.assignments.show('skill_tree_layout');
    expect(https.cookies).toHaveLength(2);
    for (const cookie of https.cookies) expect(cookie).toContain('; SameSite=Lax; Secure; HttpOnly');
    expect(https.secureAsked()).toBe(1);
  });

  it('takes the facts the adapter was given over the user and attributes options, field by field', () => {
    const proOnly = skillTreeAt(100, { eligibility: (attributes) => attributes?.plan === 'pro' });
    const { exchange } = setUp(proOnly, { attributes: () => ({ plan: 'free' }) });
    const given = (facts: RequestFacts) => exchange({ user: 'from-option' }, undefined, { facts }).assignments;
    expect(given({ user: 'from-facts', attributes: { plan: 'pro' } }).show('skill_tree_layout')).toMatchObject({ unit: 'from-facts', reason: 'bucketed' });
    // Only attributes given: the user option still decides who it is.
    expect(given({ attributes: { plan: 'pro' } }).show('skill_tree_layout')).toMatchObject({ unit: 'from-option', reason: 'bucketed' });
    // Only the user given: the attributes option still applies.
    expect(given({ user: 'from-facts' }).show('skill_tree_layout')).toMatchObject({ unit: 'from-facts', reason: 'ineligible' });
    // A given user of undefined is a visitor, not a reason to ask the option.
    const visitor = given({ user: undefined, attributes: { plan: 'pro' } });
    expect(visitor.unit()).toMatchObject({ kind: 'anonymous', issued: true });
  });

  it('gives visitors control without an id when anonymous ids are off', () => {
    const { sink, exchange } = setUp(skillTreeAt(100), { anonymousId: false });
    const { assignments, cookies } = exchange();
    expect(assignments.show('skill_tree_layout')).toMatchObject({ variant: 'tree', reason: 'missing_unit' });
    expect(cookies).toEqual(['exp_skill_tree_layout=tree; Path=/; Max-Age=2592000; SameSite=Lax; HttpOnly']);
    expect(assignments.unit()).toEqual({ kind: 'none' });
    expect(sink.events).toEqual([]);
  });
});
