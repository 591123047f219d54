// Compile-time checks, run by `pnpm typecheck`: the handler types fit apps typed with
// @types/express 4 and 5 alike, and carry the route's experiments into res.locals.
import { createMemorySink, defineExperiment, type Assignment } from '@bucketry/core';
import express5 from 'express';
import express4 from 'express4';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { createExperimentMiddleware, healthRoute, recentExposuresRoute, rolloutStatusRoute, createRecentExposuresBuffer, type RequestUnit } from './index.js';
import { EXPRESS_4_VERSION, EXPRESS_5_VERSION } from './test-support/express-versions.js';

const skillTree = defineExperiment({ key: 'skill_tree_layout', variants: ['tree', 'list'], rollout: 10 });
const pricing = defineExperiment({ key: 'pricing', variants: ['a', 'b', 'c'] });

describe('types', () => {
  it('runs against real Express 4 and 5', () => {
    expect(EXPRESS_4_VERSION).toMatch(/^4\.(1[89]|2\d)\./);
    expect(EXPRESS_5_VERSION).toMatch(/^5\./);
  });

  it('type res.locals from the experiments a route names, under Express 4 and 5 types', () => {
    const experiments = createExperimentMiddleware({ experiments: [skillTree, pricing], sink: createMemorySink(), user: (req) => req.get('x-user-id') });

    const app5 = express5();
    app5.get('/skills/:id', experiments('skill_tree_layout'), (req, res) => {
      expectTypeOf(res.locals.experiments.variant('skill_tree_layout')).toEqualTypeOf<'tree' | 'list'>();
      expectTypeOf(res.locals.experiments.peek('skill_tree_layout')).toEqualTypeOf<Assignment<'tree' | 'list'>>();
      expectTypeOf(res.locals.experiments.unit()).toEqualTypeOf<RequestUnit>();
      // @ts-expect-error pricing is not named for this route
      res.locals.experiments.variant('pricing');
      // The route's own parameter types are left alone.
      expectTypeOf(req.params.id).toEqualTypeOf<string>();
      res.end();
    });
    app5.get('/healthz', healthRoute());
    app5.get('/status', rolloutStatusRoute(experiments.client.experiment('skill_tree_layout')));
    app5.get('/events', recentExposuresRoute({ buffer: createRecentExposuresBuffer() }));

    const app4 = express4();
    app4.get('/skills/:id', experiments('skill_tree_layout', 'pricing'), (req, res) => {
      expectTypeOf(res.locals.experiments.variant('pricing')).toEqualTypeOf<'a' | 'b' | 'c'>();
      expectTypeOf(res.locals.experiments.variants()).toEqualTypeOf<{ skill_tree_layout: 'tree' | 'list'; pricing: 'a' | 'b' | 'c' }>();
      expectTypeOf(req.params.id).toEqualTypeOf<string>();
      res.end();
    });
    app4.use(experiments('pricing'));
    express4.Router().get('/r', experiments('pricing'), (_req, res) => {
      res.send(res.locals.experiments.variant('pricing'));
    });
    app4.get('/healthz', healthRoute());

    expectTypeOf(() => experiments.from({ locals: {} }).variant('pricing')).returns.toEqualTypeOf<'a' | 'b' | 'c'>();
    // @ts-expect-error unknown experiment
    expect(() => experiments('nope')).toThrow('must name a known experiment');
  });

  it('follow a custom localsKey', () => {
    const experiments = createExperimentMiddleware({ experiments: [skillTree], localsKey: 'ab' });
    express5().get('/', experiments('skill_tree_layout'), (_req, res) => {
      expectTypeOf(res.locals.ab.variant('skill_tree_layout')).toEqualTypeOf<'tree' | 'list'>();
      res.end();
    });
  });
});
