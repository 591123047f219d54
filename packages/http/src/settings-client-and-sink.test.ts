import { createBucketry, createMemorySink, defineExperiment, type Bucketry } from '@bucketry/core';
import { describe, expect, it } from 'vitest';
import { checkHttpSafe, resolveHttpSettings, type HttpExperimentOptions } from './settings.js';
import { optionError } from './test-support/option-error.js';

// The checks resolveHttpSettings makes of a given `client` and of a `sink`.
const skillTree = defineExperiment({ key: 'skill_tree_layout', variants: ['tree', 'list'], rollout: 100 });
const noOverrides = { header: () => undefined, search: () => '' };
const resolve = (options: HttpExperimentOptions<unknown>) => resolveHttpSettings('@bucketry/test', options, noOverrides);
const real = (): Bucketry => createBucketry({ experiments: [skillTree] });

describe('the client option', () => {
  it.each([
    ['null', null, 'got null'],
    ['a string', 'bucketry', 'got "bucketry"'],
    ['an object without peek', (() => {
      const { peek: _peek, ...rest } = real();
      return rest;
    })(), 'got an object'],
    ['an object without expose', (() => {
      const { expose: _expose, ...rest } = real();
      return rest;
    })(), 'got an object'],
    ['an object whose peek is not a function', { ...real(), peek: 'yes' }, 'got an object'],
    ['a function carrying peek and expose', Object.assign(() => {}, { peek() {}, expose() {}, experiments: [] }), 'client must be a client from createBucketry'],
  ])('refuses %s: an OptionError naming client', (_name, client, got) => {
    const { message } = optionError(() => resolve({ client: client as never }));
    expect(message).toContain('client must be a client from createBucketry');
    expect(message).toContain(got);
  });

  it('takes an object with peek and expose as the client, using its experiments', () => {
    const client = real();
    const { settings } = resolve({ client });
    expect(settings.client).toBe(client);
    expect(settings.experiment('skill_tree_layout')).toBe(client.experiments[0]);
  });
});

describe('the sink option', () => {
  it.each([
    ['null', null, 'got null'],
    ['an object whose write is not a function', { write: 'https://collector' }, 'got an object'],
    ['a function (not an object with write)', Object.assign(() => {}, { write() {} }), 'sink must be an object with a write(event) function'],
  ])('refuses %s: an OptionError naming sink', (_name, sink, got) => {
    const { message } = optionError(() => resolve({ experiments: [skillTree], sink: sink as never }));
    expect(message).toContain('sink must be an object with a write(event) function');
    expect(message).toContain(got);
  });

  it('writes exposures to a sink given with experiments, and builds a client without one', () => {
    const sink = createMemorySink();
    const { client } = resolve({ experiments: [skillTree], sink });
    client.assign('skill_tree_layout', 'user-1');
    expect(sink.events).toMatchObject([{ experiment: 'skill_tree_layout', unit: 'user-1', variant: 'list' }]);
    expect(resolve({ experiments: [skillTree] }).client.assign('skill_tree_layout', 'user-1').variant).toBe('list');
  });
});

describe('checkHttpSafe on an experiment not made by defineExperiment', () => {
  it('refuses a key that cannot name a header and a cookie, naming experiments[i].key', () => {
    const handMade = { ...skillTree, key: 'two words' } as unknown as typeof skillTree;
    expect(() => checkHttpSafe([skillTree, handMade])).toThrow('experiments[1].key must give a valid header and cookie name, got "two words"');
  });
});
