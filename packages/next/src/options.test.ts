import { createBucketry, createMemorySink } from '@bucketry/core';
import { OptionError } from '@bucketry/http';
import { describe, expect, it } from 'vitest';
import { createNextExperiments } from './next-experiments.js';
import { forwardedHeaders, nextRequest } from './test-support/next-http.js';
import { skillTreeAt, skillTreeProxy } from './test-support/skill-tree.js';

const skillTree = skillTreeAt(50);

describe('options', () => {
  it.each([
    [{ routes: { skills: ['skill_tree_layout'] } }, '@bucketry/next: routes["skills"] must be a path prefix such as "/skills"'],
    [{ routes: { '/skills/': ['skill_tree_layout'] } }, 'routes["/skills/"] must be a path prefix'],
    [{ routes: { '/skills?x': ['skill_tree_layout'] } }, 'routes["/skills?x"] must be a path prefix'],
    [{ routes: { '/skills': 'skill_tree_layout' } }, 'routes["/skills"] must be an array of experiment keys, got "skill_tree_layout"'],
    [{ routes: { '/skills': ['skill_tree_layout', 'pricing'] } }, '@bucketry/next: routes["/skills"][1] must name a known experiment (skill_tree_layout), got "pricing"'],
    [{ routes: 'all' }, 'routes must be an object of path prefixes, or a function, got "all"'],
    [{ expose: 'yes' }, '@bucketry/next: expose must be true or false, got "yes"'],
    [{ user: 'x-user-id' }, '@bucketry/next: user must be a function, got "x-user-id"'],
    [{ sink: { send() {} } }, '@bucketry/next: sink must be an object with a write(event) function'],
    [{ cookies: { sameSite: 'lax' } }, '@bucketry/next: cookies.sameSite must be "Lax", "Strict" or "None", got "lax"'],
    [{ qaOverrides: { enabled: 1 } }, '@bucketry/next: qaOverrides.enabled must be true or false, got 1'],
  ])('rejects %j at start-up, naming the option and the value', (options, message) => {
    expect(() => createNextExperiments({ experiments: [skillTree], ...(options as object) })).toThrow(message);
  });

  it('refuses variants that cannot travel in a header or cookie', () => {
    expect(() => createNextExperiments({ experiments: [{ key: 'k', variants: ['tree', 'two words'] }] })).toThrow(
      '@bucketry/next: experiments[0].variants[1] must be 1-128 characters',
    );
  });

  it('requires experiments or a client, and takes a client as it is', () => {
    expect(() => createNextExperiments({})).toThrow('@bucketry/next: client or experiments must be given');
    expect(() => createNextExperiments(null as never)).toThrow('@bucketry/next: options must be an object, got null');
    const client = createBucketry({ experiments: [skillTree], sink: createMemorySink() });
    expect(createNextExperiments({ client }).client).toBe(client);
  });

  it('a routes function that throws gives no experiments on that request and is reported', () => {
    const failure = new Error('routing table missing');
    const { bucketry, errors } = skillTreeProxy(skillTree, {
      routes: () => {
        throw failure;
      },
    });
    const response = bucketry.proxy(nextRequest('/skills'));
    expect(response.headers.get('x-middleware-next')).toBe('1');
    expect(response.headers.has('x-experiment-skill-tree-layout')).toBe(false);
    expect(errors).toEqual([{ error: failure, context: { source: 'middleware' } }]);
    expect(bucketry.fromHeaders(forwardedHeaders(response)).variant('skill_tree_layout')).toBe('tree');
  });

  it('a routes function that returns unknown keys or no array is reported; the known keys are still assigned', () => {
    const { bucketry, errors } = skillTreeProxy(skillTree, { routes: () => ['pricing', 'skill_tree_layout'] as never });
    expect(bucketry.proxy(nextRequest('/skills')).headers.has('x-experiment-skill-tree-layout')).toBe(true);
    expect(errors[0]?.error).toEqual(new OptionError('routes(request)[0]', 'pricing', 'must name a known experiment (skill_tree_layout)', '@bucketry/next'));
    expect(String(errors[0]?.error)).toBe('OptionError: @bucketry/next: routes(request)[0] must name a known experiment (skill_tree_layout), got "pricing"');
    const notArray = skillTreeProxy(skillTree, { routes: () => 'skill_tree_layout' as never });
    expect(notArray.bucketry.proxy(nextRequest('/skills')).headers.has('x-experiment-skill-tree-layout')).toBe(false);
    expect(String(notArray.errors[0]?.error)).toBe('OptionError: @bucketry/next: routes(request) must return an array of experiment keys, got "skill_tree_layout"');
  });

  it('a user function that throws gives control on a normal response', () => {
    const failure = new Error('session store down');
    const { bucketry, errors, sink } = skillTreeProxy(skillTree, {
      user: () => {
        throw failure;
      },
    });
    const response = bucketry.proxy(nextRequest('/skills'));
    expect(response.headers.get('x-experiment-skill-tree-layout')).toBe('tree');
    expect(bucketry.fromHeaders(forwardedHeaders(response)).assignment('skill_tree_layout')).toMatchObject({ reason: 'error', inExperiment: false });
    expect(errors).toEqual([{ error: failure, context: { source: 'unit' } }]);
    expect(sink.events).toEqual([]);
  });
});
