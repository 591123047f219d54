// Compile-time checks, run by `pnpm typecheck`: keys and variants are typed from the experiments,
// in the proxy's routes, in Server Components and in a composed proxy.
import { defineExperiment, type Assignment } from '@bucketry/core';
import type { NextFetchEvent, NextProxy, NextRequest, NextResponse } from 'next/server.js';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { createNextExperiments, type HttpErrorContext, type NextExperiments, type NextExperimentsOptions, type ProxyAssignments, type RequestUnit } from './index.js';
import type { PreloadingStickyStore } from '@bucketry/http';
import { nextRequest } from './test-support/next-http.js';

const skillTree = defineExperiment({ key: 'skill_tree_layout', variants: ['tree', 'list'], rollout: 10 });
const pricing = defineExperiment({ key: 'pricing', variants: ['a', 'b', 'c'] });

describe('types', () => {
  const bucketry = createNextExperiments({
    experiments: [skillTree, pricing],
    routes: { '/skills': ['skill_tree_layout'], '/checkout': ['pricing', 'skill_tree_layout'] },
    user: (request) => request.cookies.get('session_user')?.value,
    onError: (_error, context) => expectTypeOf(context).toEqualTypeOf<HttpErrorContext>(),
  });

  it('types variants by experiment in Server Components and route handlers', () => {
    const experiments = bucketry.fromHeaders(new Headers());
    expectTypeOf(experiments.variant('skill_tree_layout')).toEqualTypeOf<'tree' | 'list'>();
    expectTypeOf(experiments.assignment('pricing')).toEqualTypeOf<Assignment<'a' | 'b' | 'c'>>();
    // @ts-expect-error not an experiment of this integration
    expect(() => experiments.variant('checkout_button')).toThrow(TypeError);
  });

  it('fits Next’s proxy signature, and types a composed proxy', () => {
    const proxy: NextProxy = (request: NextRequest, event: NextFetchEvent) => bucketry.proxy(request, event);
    expectTypeOf(bucketry.proxy).returns.toEqualTypeOf<NextResponse>();
    const assigned = bucketry.assignRequest(nextRequest('/checkout'));
    expectTypeOf(assigned.variant('pricing')).toEqualTypeOf<'a' | 'b' | 'c'>();
    expectTypeOf(assigned.unit).toEqualTypeOf<RequestUnit>();
    expect(typeof proxy).toBe('function');
  });

  it('fits an async proxy that looked the user up itself', () => {
    const lookUp = async (): Promise<string | undefined> => 'user-1';
    const proxy: NextProxy = async (request, event) => bucketry.proxy(request, event, { user: await lookUp(), attributes: { plan: 'pro' } });
    // @ts-expect-error a misspelt field is not silently ignored
    bucketry.assignRequest(nextRequest('/skills'), undefined, { userId: 'user-1' });
    expect(typeof proxy).toBe('function');
  });

  it('with a sticky store, types proxy and assignRequest as promises; without one, as they were', async () => {
    const sticky: PreloadingStickyStore = { load: async () => {}, get: () => undefined, set: () => {} };
    const withStore = createNextExperiments({ experiments: [skillTree], sticky });
    expectTypeOf(withStore).toEqualTypeOf<NextExperiments<typeof skillTree, true>>();
    expectTypeOf(withStore.proxy).returns.toEqualTypeOf<Promise<NextResponse>>();
    expectTypeOf(withStore.assignRequest).returns.toEqualTypeOf<Promise<ProxyAssignments<typeof skillTree>>>();
    const proxy: NextProxy = (request, event) => withStore.proxy(request, event);
    expect((await withStore.assignRequest(nextRequest('/skills'))).variant('skill_tree_layout')).toMatch(/^(tree|list)$/);

    // Options typed without saying: no sticky allowed, the proxy synchronous.
    const options: NextExperimentsOptions<typeof skillTree> = { experiments: [skillTree] };
    expectTypeOf(createNextExperiments(options).proxy).returns.toEqualTypeOf<NextResponse>();
    // @ts-expect-error a store in options typed without it: say NextExperimentsOptions<E, true>
    const wrong: NextExperimentsOptions<typeof skillTree> = { experiments: [skillTree], sticky };
    // A store that may be missing: either, so the caller awaits.
    const maybe: NextExperimentsOptions<typeof skillTree, boolean> = { experiments: [skillTree], sticky: Math.random() > 2 ? sticky : undefined };
    expectTypeOf(createNextExperiments(maybe).proxy).returns.toEqualTypeOf<NextResponse | Promise<NextResponse>>();
    // Options typed as allowing a store may still leave it out: either too.
    const allowed: NextExperimentsOptions<typeof skillTree, true> = { experiments: [skillTree], sticky };
    expectTypeOf(createNextExperiments(allowed).assignRequest).returns.toEqualTypeOf<ProxyAssignments<typeof skillTree> | Promise<ProxyAssignments<typeof skillTree>>>();
    expect(typeof proxy).toBe('function');
    expect(wrong).toBeDefined();
  });

  it('refuses unknown experiments in routes', () => {
    // @ts-expect-error 'checkout_button' is not an experiment of this integration
    expect(() => createNextExperiments({ experiments: [skillTree], routes: { '/skills': ['checkout_button'] } })).toThrow('routes["/skills"][0]');
  });
});
