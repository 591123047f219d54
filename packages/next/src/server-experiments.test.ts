import { defineExperiment } from '@bucketry/core';
import { describe, expect, it } from 'vitest';
import { unitWithVariant } from '../../../test-support/units.js';
import { ASSIGNMENTS_HEADER } from './forwarded.js';
import { createNextExperiments } from './next-experiments.js';
import { forwardedHeaders, nextRequest } from './test-support/next-http.js';
import { signedAsTheProxy, skillTreeAt, skillTreeProxy, TEST_SECRET } from './test-support/skill-tree.js';

const skillTree = skillTreeAt(50);
const listUser = unitWithVariant(skillTree, 'list');
const forwarding = (entries: unknown) => new Headers({ [ASSIGNMENTS_HEADER]: signedAsTheProxy(encodeURIComponent(JSON.stringify(entries))) });
const valid = { experiment: 'skill_tree_layout', variant: 'list', inExperiment: true, reason: 'bucketed', bucket: 123_456, unit: listUser };

describe('fromHeaders, for Server Components and route handlers', () => {
  it('reads what the proxy forwarded, from headers() or from a route handler’s request.headers', () => {
    const { bucketry } = skillTreeProxy(skillTree);
    const forwarded = forwardedHeaders(bucketry.proxy(nextRequest('/skills', { headers: { 'x-user-id': listUser } })));
    const inRouteHandler = nextRequest('/api/v1/skills/tree', { headers: forwarded });
    for (const source of [forwarded, inRouteHandler.headers]) {
      const experiments = bucketry.fromHeaders(source);
      expect(experiments.variant('skill_tree_layout')).toBe('list');
      expect(experiments.assignment('skill_tree_layout')).toMatchObject({ inExperiment: true, reason: 'bucketed', unit: listUser });
    }
  });

  it('gives each assignment its variant’s value from the page’s own experiments, not through the header', () => {
    const layouts = { tree: { columns: 3, note: 'x'.repeat(2_000) }, list: { columns: 1, note: 'y'.repeat(2_000) } };
    const valued = skillTreeAt(50, { values: layouts });
    const { bucketry } = skillTreeProxy(valued);
    const assigned = bucketry.assignRequest(nextRequest('/skills', { headers: { 'x-user-id': listUser } }));
    expect(assigned.assignments).toEqual([expect.objectContaining({ variant: 'list', value: layouts.list })]);
    const forwarded = forwardedHeaders(bucketry.proxy(nextRequest('/skills', { headers: { 'x-user-id': listUser } })));
    expect(forwarded.get(ASSIGNMENTS_HEADER)!.length).toBeLessThan(1_000); // the values stay out of the request header
    expect(bucketry.fromHeaders(forwarded).assignment('skill_tree_layout')).toMatchObject({ variant: 'list', value: layouts.list });
    // Control's value where the proxy did not run.
    expect(bucketry.fromHeaders(new Headers()).assignment('skill_tree_layout')).toMatchObject({ variant: 'tree', reason: 'error', value: layouts.tree });
  });

  it('gives control, reported once per experiment, when the proxy did not run', () => {
    const { bucketry, errors } = skillTreeProxy(skillTree);
    const experiments = bucketry.fromHeaders(new Headers());
    expect(experiments.assignment('skill_tree_layout')).toMatchObject({ variant: 'tree', inExperiment: false, reason: 'error', bucket: -1 });
    expect(experiments.variant('skill_tree_layout')).toBe('tree');
    expect(experiments.assignments).toEqual([]);
    expect(errors.map((e) => [e.context, String(e.error)])).toEqual([
      [
        { source: 'forwarded', experiment: 'skill_tree_layout' },
        `Error: no ${ASSIGNMENTS_HEADER} header: the proxy did not run for this request (see config.matcher in proxy.ts), or the page was rendered without a request (static or cached); showing control`,
      ],
    ]);
  });

  it('gives control, reported, for an experiment the proxy did not assign on this route', () => {
    const { bucketry, errors } = skillTreeProxy(skillTree, { routes: { '/skills': ['skill_tree_layout'] } });
    const forwarded = forwardedHeaders(bucketry.proxy(nextRequest('/about', { headers: { 'x-user-id': listUser } })));
    expect(bucketry.fromHeaders(forwarded).variant('skill_tree_layout')).toBe('tree');
    expect(String(errors[0]?.error)).toContain('the proxy did not assign skill_tree_layout on this route');
  });

  it.each([
    ['an unknown variant', [{ ...valid, variant: 'grid' }], '[0].variant must be a variant of skill_tree_layout, got "grid"'],
    ['an unknown experiment', [{ ...valid, experiment: 'pricing' }], '[0].experiment must name a known experiment, got "pricing"'],
    ['a bucket out of range', [{ ...valid, bucket: 1_000_000 }], '[0].bucket must be a whole number from -1 to 999999, got 1000000'],
    ['a made-up reason', [{ ...valid, reason: 'vip' }], '[0].reason must be an assignment reason, got "vip"'],
    ['inExperiment as text', [{ ...valid, inExperiment: 'yes' }], '[0].inExperiment must be true or false, got "yes"'],
    ['a unit that is not text', [{ ...valid, unit: 42 }], '[0].unit must be a unit key of at most 1024 characters, got 42'],
    ['not an object', ['list'], '[0] must be an assignment, got "list"'],
    ['not an array', { skill_tree_layout: 'list' }, `${ASSIGNMENTS_HEADER} is not a JSON array`],
  ])('ignores %s and reports it', (_name, entries, problem) => {
    const { bucketry, errors } = skillTreeProxy(skillTree);
    const experiments = bucketry.fromHeaders(forwarding(entries));
    expect(experiments.assignments).toEqual([]);
    expect(experiments.variant('skill_tree_layout')).toBe('tree');
    expect(errors[0]).toEqual({ error: new Error(`ignored in ${ASSIGNMENTS_HEADER}: ${problem}`), context: { source: 'forwarded' } });
  });

  it('reports a header that is not percent-encoded JSON', () => {
    const { bucketry, errors } = skillTreeProxy(skillTree);
    expect(bucketry.fromHeaders(new Headers({ [ASSIGNMENTS_HEADER]: signedAsTheProxy('%E0%A4%A') })).variant('skill_tree_layout')).toBe('tree');
    expect(String(errors[0]?.error)).toContain('is not percent-encoded JSON');
  });

  it('keeps the first entry of an experiment sent twice', () => {
    // Two experiments, so that both entries are read (no more entries are read than there are experiments).
    const pricing = defineExperiment({ key: 'pricing', variants: ['a', 'b'] });
    const errors: unknown[] = [];
    const bucketry = createNextExperiments({ secret: TEST_SECRET, experiments: [skillTree, pricing], onError: (error) => errors.push(error) });
    const experiments = bucketry.fromHeaders(forwarding([valid, { ...valid, variant: 'tree' }]));
    expect(experiments.variant('skill_tree_layout')).toBe('list');
    expect(experiments.assignments).toEqual([{ ...valid, configVersion: skillTree.version }]);
    expect(errors).toEqual([]);
  });

  it('reads no more entries than there are experiments', () => {
    const { bucketry, errors } = skillTreeProxy(skillTree);
    const experiments = bucketry.fromHeaders(forwarding([valid, { ...valid, variant: 'tree' }]));
    expect(experiments.variant('skill_tree_layout')).toBe('list');
    expect(String(errors[0]?.error)).toContain('1 entries past the 1 known experiments were ignored');
  });

  it('keeps any unit text intact through the header (non-ASCII, compound keys)', () => {
    const { bucketry } = skillTreeProxy(skillTree, { user: (request) => decodeURIComponent(request.headers.get('x-user-id') ?? '') });
    for (const user of ['émilie-ü-東京', '{"tenantId":"acme","userId":"42"}', 'a,b;c"d']) {
      const forwarded = forwardedHeaders(bucketry.proxy(nextRequest('/skills', { headers: { 'x-user-id': encodeURIComponent(user) } })));
      expect(bucketry.fromHeaders(forwarded).assignment('skill_tree_layout').unit).toBe(user);
    }
  });

  it('throws for an experiment it does not know: a programming error, not a report', () => {
    const { bucketry, errors } = skillTreeProxy(skillTree);
    expect(() => bucketry.fromHeaders(new Headers()).variant('pricing' as never)).toThrow('@bucketry/next: unknown experiment "pricing"; known: skill_tree_layout');
    expect(() => bucketry.assignRequest(nextRequest('/skills')).variant('pricing' as never)).toThrow('@bucketry/next: unknown experiment "pricing"');
    expect(errors).toEqual([]);
  });

  it('survives a headers object that throws', () => {
    const { bucketry, errors } = skillTreeProxy(skillTree);
    const failure = new Error('headers() was called outside a request scope');
    const broken = {
      get: () => {
        throw failure;
      },
    };
    expect(bucketry.fromHeaders(broken).variant('skill_tree_layout')).toBe('tree');
    expect(errors[0]).toEqual({ error: failure, context: { source: 'forwarded' } });
  });
});
