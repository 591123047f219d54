import { afterEach, describe, expect, it, vi } from 'vitest';
import { unitWithVariant } from '../../../test-support/units.js';
import { ASSIGNMENTS_HEADER } from './forwarded.js';
import { resolveSignature, type ForwardedSignature } from './forwarded-signature.js';
import { forwardedHeaders, nextRequest } from './test-support/next-http.js';
import { skillTreeAt, skillTreeProxy, TEST_SECRET } from './test-support/skill-tree.js';

// The forwarded header is believed only when this app's proxy signed it: on a route outside the
// proxy's matcher, a client's own header reaches the page as the client wrote it.
const skillTree = skillTreeAt(50);
const listUser = unitWithVariant(skillTree, 'list');
const treeUser = unitWithVariant(skillTree, 'tree');
const REFUSED = `${ASSIGNMENTS_HEADER} refused: not signed by this app's proxy; showing control`;

/** What a client would send to choose `list`: the header exactly as a proxy forwards it, unsigned. */
const chosen = (user: string) =>
  encodeURIComponent(JSON.stringify([{ experiment: 'skill_tree_layout', variant: 'list', inExperiment: true, reason: 'bucketed', bucket: 1, unit: user }]));

/** The page's view of a request the proxy did not run for: the client's headers as sent. */
const outsideTheMatcher = (headers: Record<string, string>) => nextRequest('/about', { headers }).headers;

afterEach(() => vi.unstubAllEnvs());

describe('the signed forwarded header', () => {
  it('a client choosing its variant on a route outside the matcher gets control, and the refusal is reported', () => {
    const { bucketry, errors } = skillTreeProxy(skillTree);
    const page = bucketry.fromHeaders(outsideTheMatcher({ 'x-user-id': treeUser, [ASSIGNMENTS_HEADER]: chosen(treeUser) }));
    expect(page.assignments).toEqual([]);
    expect(page.assignment('skill_tree_layout')).toMatchObject({ variant: 'tree', inExperiment: false, reason: 'error' });
    expect(errors.map((e) => [e.context, String(e.error)])).toEqual([
      [{ source: 'forwarded' }, `Error: ${REFUSED}`],
      [{ source: 'forwarded', experiment: 'skill_tree_layout' }, `Error: ${REFUSED}`],
    ]);
  });

  it('refuses a signed header whose value was changed, one signed with another secret, and signatures cut short or moved', () => {
    const { bucketry, errors } = skillTreeProxy(skillTree);
    const signed = forwardedHeaders(bucketry.proxy(nextRequest('/skills', { headers: { 'x-user-id': treeUser } }))).get(ASSIGNMENTS_HEADER)!;
    expect(bucketry.fromHeaders(new Headers({ [ASSIGNMENTS_HEADER]: signed })).variant('skill_tree_layout')).toBe('tree');
    const elsewhere = (resolveSignature('another-deployment-secret-of-32-chars') as ForwardedSignature).sign(chosen(treeUser));
    const [signature, value] = [signed.slice(0, signed.indexOf('.')), signed.slice(signed.indexOf('.') + 1)];
    for (const forged of [
      signed.replace('%22tree%22', '%22list%22'),
      `${signature}.${chosen(treeUser)}`,
      elsewhere,
      `${signature.slice(1)}.${value}`,
      `${signature}${value}`,
      `.${value}`,
      value,
      '',
    ]) {
      errors.length = 0;
      expect(bucketry.fromHeaders(new Headers({ [ASSIGNMENTS_HEADER]: forged })).variant('skill_tree_layout'), forged).toBe('tree');
      expect(String(errors[0]?.error), forged).toBe(`Error: ${REFUSED}`);
    }
  });

  it('believes what the proxy signed, whatever the client sent on that request', () => {
    const { bucketry, errors } = skillTreeProxy(skillTree);
    const forwarded = forwardedHeaders(bucketry.proxy(nextRequest('/skills', { headers: { 'x-user-id': listUser, [ASSIGNMENTS_HEADER]: chosen(listUser) } })));
    expect(forwarded.get(ASSIGNMENTS_HEADER)).toMatch(/^[A-Za-z0-9+/]{43}=\.%5B%7B/);
    expect(bucketry.fromHeaders(forwarded).assignment('skill_tree_layout')).toMatchObject({ variant: 'list', reason: 'bucketed', unit: listUser });
    expect(errors).toEqual([]);
  });

  it('reads the secret from BUCKETRY_SECRET when the option is not given: a proxy and a page built apart agree', () => {
    vi.stubEnv('BUCKETRY_SECRET', 'a-secret-from-the-environment-of-40-chars');
    const proxy = skillTreeProxy(skillTree, { secret: undefined });
    const page = skillTreeProxy(skillTree, { secret: undefined });
    const forwarded = forwardedHeaders(proxy.bucketry.proxy(nextRequest('/skills', { headers: { 'x-user-id': listUser } })));
    expect(page.bucketry.fromHeaders(forwarded).variant('skill_tree_layout')).toBe('list');
    // The tests' own secret is another one: its pages refuse this proxy's header.
    expect(skillTreeProxy(skillTree).bucketry.fromHeaders(forwarded).variant('skill_tree_layout')).toBe('tree');
  });

  it('refuses a secret shorter than 32 characters or not a string (null is not absent) at start-up, never showing it', () => {
    expect(() => skillTreeProxy(skillTree, { secret: 'short-secret' })).toThrow(
      '@bucketry/next: secret must be a string of at least 32 characters, the same for the proxy and the pages: the proxy signs what it forwards with it, got "12 characters"',
    );
    expect(() => skillTreeProxy(skillTree, { secret: 42 as never })).toThrow('@bucketry/next: secret must be a string of at least 32 characters');
    // null is not "absent": it never falls back to BUCKETRY_SECRET.
    vi.stubEnv('BUCKETRY_SECRET', 'a-secret-from-the-environment-of-40-chars');
    expect(() => skillTreeProxy(skillTree, { secret: null as never })).toThrow('@bucketry/next: secret must be a string of at least 32 characters, the same for the proxy and the pages: the proxy signs what it forwards with it, got null');
    vi.stubEnv('BUCKETRY_SECRET', 'too-short');
    expect(() => skillTreeProxy(skillTree, { secret: undefined })).toThrow('@bucketry/next: BUCKETRY_SECRET must be a string of at least 32 characters');
    expect(() => skillTreeProxy(skillTree, { secret: undefined })).not.toThrow(/too-short/);
  });
});

describe('without a secret', () => {
  it('starts (next build has no runtime environment), then gives every request control, nothing written, and reports why', () => {
    vi.stubEnv('BUCKETRY_SECRET', undefined);
    const { bucketry, errors, sink } = skillTreeProxy(skillTree, { secret: undefined });
    const response = bucketry.proxy(nextRequest('/skills', { headers: { 'x-user-id': listUser, [ASSIGNMENTS_HEADER]: chosen(listUser) } }));
    expect(response.headers.get('x-experiment-skill-tree-layout')).toBeNull();
    expect(response.headers.getSetCookie()).toEqual([]);
    expect(sink.events).toEqual([]);
    // The client's header is removed, not passed on.
    const forwarded = forwardedHeaders(response);
    expect(forwarded.has(ASSIGNMENTS_HEADER)).toBe(false);
    expect(forwarded.get('x-user-id')).toBe(listUser);
    const missing =
      '@bucketry/next: secret (or BUCKETRY_SECRET) must be a string of at least 32 characters, the same for the proxy and the pages: the proxy signs what it forwards with it; until then every request gets control, got undefined';
    expect(errors.map((e) => [e.context, String(e.error)])).toEqual([[{ source: 'middleware' }, `OptionError: ${missing}`]]);

    errors.length = 0;
    const page = bucketry.fromHeaders(outsideTheMatcher({ [ASSIGNMENTS_HEADER]: chosen(listUser) }));
    expect(page.variant('skill_tree_layout')).toBe('tree');
    expect(errors.map((e) => String(e.error))).toEqual([`OptionError: ${missing}`, `Error: ${ASSIGNMENTS_HEADER} refused: no secret; showing control`]);
  });
});
