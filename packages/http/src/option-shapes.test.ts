import { defineExperiment } from '@bucketry/core';
import { describe, expect, it } from 'vitest';
import { resolveUnitCookie } from './anonymous-id.js';
import { resolveCookieAttributes } from './cookies.js';
import { createFetchSink } from './fetch-sink.js';
import { createQaOverrideReader } from './qa-override.js';
import { resolveHttpSettings } from './settings.js';
import { optionError } from './test-support/option-error.js';

// An option that must be an object, given null or a non-object: an OptionError naming it (not a
// TypeError from reading a field of null, not a later, unrelated complaint).
const skillTree = defineExperiment({ key: 'skill_tree_layout', variants: ['tree', 'list'], rollout: 10 });
const noOverrides = { header: () => undefined, search: () => '' };

describe('options that must be objects', () => {
  it.each([null, 'experiments', 42])('resolveHttpSettings(%j)', (options) => {
    expect(optionError(() => resolveHttpSettings('@bucketry/test', options as never, noOverrides)).message).toContain('options must be an object, got');
  });

  it.each([null, 'secure'])('cookies: %j', (cookies) => {
    expect(optionError(() => resolveHttpSettings('@bucketry/test', { experiments: [skillTree], cookies: cookies as never }, noOverrides)).message).toContain(
      'cookies must be an object, got',
    );
  });

  it.each([null, 'x-qa'])('qaOverrides: %j', (qaOverrides) => {
    expect(optionError(() => createQaOverrideReader(qaOverrides as never, [skillTree], noOverrides)).message).toContain('qaOverrides must be an object, got');
  });

  it.each([null, 'uid', true])('anonymousId: %j', (anonymousId) => {
    expect(optionError(() => resolveUnitCookie(anonymousId as never, undefined)).message).toContain('anonymousId must be an object of cookie options, or false, got');
  });

  it.each([null, 'https://collector.example/exposures'])('createFetchSink(%j)', (options) => {
    expect(optionError(() => createFetchSink(options as never)).message).toContain('options must be an object with a url, got');
  });

  it('cookies.path must be a string, not something that prints like a path', () => {
    expect(optionError(() => resolveCookieAttributes('cookies', { path: ['/app'] } as never, undefined, { maxAge: 60, httpOnly: true })).message).toContain(
      'cookies.path must start with "/"',
    );
  });

  it('cookies.path must start with "/", not merely contain one', () => {
    expect(optionError(() => resolveCookieAttributes('cookies', { path: 'app/x' }, undefined, { maxAge: 60, httpOnly: true })).message).toContain('cookies.path');
    expect(resolveCookieAttributes('cookies', { path: '/app/x' }, undefined, { maxAge: 60, httpOnly: true }).path).toBe('/app/x');
  });
});

describe('messages name the option', () => {
  it('a client given with experiments: the error names client', () => {
    const client = { peek() {}, expose() {}, experiments: [skillTree] };
    const error = optionError(() => resolveHttpSettings('@bucketry/test', { client: client as never, sink: { write() {} } }, noOverrides));
    expect(error.message).toMatch(/^client must come without experiments, sink and dedupe/);
  });

  it('an unknown experiment lists every known key, comma-separated', () => {
    const other = defineExperiment({ key: 'other', variants: ['a', 'b'] });
    const { settings } = resolveHttpSettings('@bucketry/test', { experiments: [skillTree, other] }, noOverrides);
    expect(() => settings.experiment('nope')).toThrow('unknown experiment "nope"; known: skill_tree_layout, other');
  });

  it('an OptionError is called OptionError', () => {
    expect(optionError(() => resolveHttpSettings('@bucketry/test', null as never, noOverrides)).name).toBe('OptionError');
  });
});
