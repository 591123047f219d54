import { createBucketry, createMemorySink, defineExperiment } from '@bucketry/core';
import { describe, expect, it, vi } from 'vitest';
import { checkHttpSafe, resolveHttpSettings, type HttpExperimentOptions } from './settings.js';

const skillTree = defineExperiment({ key: 'skill_tree_layout', variants: ['tree', 'list'], rollout: 10 });
const noOverrides = { header: () => undefined, search: () => '' };
const resolve = (options: HttpExperimentOptions<unknown>) => resolveHttpSettings('@bucketry/test', options, noOverrides);

describe('resolveHttpSettings', () => {
  it('builds a client from experiments, with the defaults every adapter uses', () => {
    const { settings, client } = resolve({ experiments: [skillTree] });
    expect(client.experiments).toEqual([skillTree]);
    expect(settings.client).toBe(client);
    expect([...settings.byKey.keys()]).toEqual(['skill_tree_layout']);
    expect(settings.experiment('skill_tree_layout')).toBe(settings.byKey.get('skill_tree_layout'));
    expect(settings.names).toEqual(new Map([['skill_tree_layout', { header: 'X-Experiment-Skill-Tree-Layout', cookie: 'exp_skill_tree_layout' }]]));
    expect(() => settings.experiment('nope')).toThrow(new TypeError('@bucketry/test: unknown experiment "nope"; known: skill_tree_layout'));
    expect(settings.unitCookie?.name).toBe('bucketry_uid');
    expect(settings.variantCookie).toMatchObject({ maxAge: 30 * 24 * 60 * 60, httpOnly: true, path: '/', sameSite: 'Lax', secure: 'auto' });
    expect(settings.readOverrides).toBeUndefined();
    expect(settings.packageName).toBe('@bucketry/test');
  });

  it('sends sink errors of the client it builds to onError', async () => {
    const errors: unknown[] = [];
    const failure = new Error('collector down');
    const { client } = resolve({
      experiments: [skillTree],
      sink: {
        write: () => {
          throw failure;
        },
      },
      onError: (error, context) => errors.push([error, context.source]),
    });
    const user = [...Array(1000).keys()].map((i) => `user-${i}`).find((id) => client.peek('skill_tree_layout', id).inExperiment)!;
    client.assign('skill_tree_layout', user);
    expect(errors).toEqual([[failure, 'sink']]);
  });

  it('passes dedupe to the client it builds: exposures of one unit and variant are remembered unless it is false', () => {
    const exposuresOfOneUnit = (dedupe?: false) => {
      const sink = createMemorySink();
      const { client } = resolve({ experiments: [skillTree], sink, ...(dedupe === false && { dedupe }) });
      const user = [...Array(1000).keys()].map((i) => `user-${i}`).find((id) => client.peek('skill_tree_layout', id).inExperiment)!;
      for (let i = 0; i < 3; i++) client.assign('skill_tree_layout', user);
      return sink.events.length;
    };
    expect([exposuresOfOneUnit(), exposuresOfOneUnit(false)]).toEqual([1, 3]);
  });

  it('takes a ready client as it is', () => {
    const sink = createMemorySink();
    const client = createBucketry({ experiments: [skillTree], sink });
    expect(resolve({ client }).client).toBe(client);
  });

  it('logs to stderr with the package name by default, and survives an onError that throws', () => {
    const log = vi.spyOn(console, 'error').mockImplementation(() => {});
    try {
      resolve({ experiments: [skillTree] }).settings.report(new Error('boom'), { source: 'unit' });
      expect(log).toHaveBeenCalledWith('@bucketry/test: unit error:', expect.any(Error));
    } finally {
      log.mockRestore();
    }
    const throwing = resolve({
      experiments: [skillTree],
      onError: () => {
        throw new Error('handler broke');
      },
    });
    expect(() => throwing.settings.report(new Error('boom'), { source: 'sink' })).not.toThrow();
  });

  it.each([
    [{}, 'client or experiments must be given'],
    [{ client: createBucketry({ experiments: [skillTree] }), experiments: [skillTree] }, 'give either client or experiments'],
    [{ client: createBucketry({ experiments: [skillTree] }), sink: createMemorySink() }, 'must come without experiments, sink and dedupe'],
    [{ client: createBucketry({ experiments: [skillTree] }), dedupe: false }, 'must come without experiments, sink and dedupe'],
    [{ client: {} }, 'client must be a client from createBucketry, got an object'],
    [{ experiments: [skillTree], sink: { send() {} } }, 'sink must be an object with a write(event) function, got an object'],
    [{ experiments: [skillTree], sink: 'segment' }, 'sink must be an object with a write(event) function, got "segment"'],
    [{ experiments: [skillTree], user: 'x-user-id' }, 'user must be a function, got "x-user-id"'],
    [{ experiments: [skillTree], attributes: {} }, 'attributes must be a function, got an object'],
    [{ experiments: [skillTree], onError: true }, 'onError must be a function, got true'],
    [{ experiments: [skillTree], cookies: 'secure' }, 'cookies must be an object, got "secure"'],
    [{ experiments: [skillTree], cookies: { maxAge: 0 } }, 'cookies.maxAge must be a whole number of seconds'],
    [{ experiments: [skillTree], anonymousId: { cookie: 'a b' } }, 'anonymousId.cookie must be 1-128 characters'],
    [{ experiments: [skillTree], qaOverrides: { enabled: 'yes' } }, 'qaOverrides.enabled must be true or false, got "yes"'],
    [null, 'options must be an object, got null'],
  ])('rejects %j, naming the option and the value', (options, message) => {
    expect(() => resolve(options as never)).toThrow(message);
  });
});

describe('checkHttpSafe', () => {
  it('accepts keys and variants that are HTTP tokens', () => {
    expect(() => checkHttpSafe([skillTree, defineExperiment({ key: 'a.b-c', variants: ['x~1', "y'!"] })])).not.toThrow();
  });

  it('refuses a variant that cannot be a header or cookie value, naming which', () => {
    expect(() => checkHttpSafe([skillTree, defineExperiment({ key: 'k', variants: ['tree', 'two words'] })])).toThrow(
      'experiments[1].variants[1] must be 1-128 characters of letters, digits',
    );
    expect(() => checkHttpSafe([defineExperiment({ key: 'k', variants: ['a;b', 'c'] })])).toThrow('got "a;b"');
    expect(() => checkHttpSafe([defineExperiment({ key: 'k', variants: ['x'.repeat(129), 'c'] })])).toThrow('experiments[0].variants[0]');
  });
});
