import { defineExperiment } from '@bucketry/core';
import { describe, expect, it } from 'vitest';
import { createQaOverrideReader, type QaOverrideSource } from './qa-override.js';

const skillTree = defineExperiment({ key: 'skill_tree_layout', variants: ['tree', 'list'], rollout: 10 });
const other = defineExperiment({ key: 'other', variants: ['a', 'b', 'c'] });

// A fetch Request stands in for any framework's request.
const fromFetchRequest: QaOverrideSource<Request> = {
  header: (request, name) => request.headers.get(name),
  search: (request) => new URL(request.url).search,
};
const request = (path: string, headers: Record<string, string> = {}) => new Request(`http://127.0.0.1${path}`, { headers });
const reader = (options: Parameters<typeof createQaOverrideReader<Request>>[0], experiments = [skillTree, other]) =>
  createQaOverrideReader(options, experiments, fromFetchRequest);

describe('createQaOverrideReader', () => {
  it('is off unless enabled', () => {
    expect(reader(undefined)).toBeUndefined();
    expect(reader({})).toBeUndefined();
    expect(reader({ enabled: false })).toBeUndefined();
    expect(reader({ enabled: true, query: false, header: false })).toBeUndefined();
  });

  it('reads key:variant pairs from the query parameter and the header, several at once', () => {
    const read = reader({ enabled: true })!;
    expect(read(request('/x?bucketry_override=skill_tree_layout:list'))).toEqual(new Map([['skill_tree_layout', 'list']]));
    expect(read(request('/x', { 'x-bucketry-override': 'skill_tree_layout:list, other:c' }))).toEqual(
      new Map([
        ['skill_tree_layout', 'list'],
        ['other', 'c'],
      ]),
    );
    expect(read(request('/x?bucketry_override=other:a&bucketry_override=other:b'))!.get('other')).toBe('b');
  });

  it('reads a header sent several times, as an array of values', () => {
    const read = createQaOverrideReader({ enabled: true }, [skillTree, other], {
      header: () => ['skill_tree_layout:list', 'other:b'],
      search: () => '',
    })!;
    expect(read({})).toEqual(
      new Map([
        ['skill_tree_layout', 'list'],
        ['other', 'b'],
      ]),
    );
  });

  it('lets the query win over the header for the same experiment', () => {
    const read = reader({ enabled: true })!;
    expect(read(request('/x?bucketry_override=other:c', { 'x-bucketry-override': 'other:b' }))!.get('other')).toBe('c');
  });

  it('accepts only known experiments and known variants', () => {
    const read = reader({ enabled: true }, [skillTree])!;
    for (const value of ['skill_tree_layout:grid', 'skill_tree_layout:LIST', 'nope:list', 'skill_tree_layout', ':list', 'skill_tree_layout=list', '__proto__:list', 'constructor:tree']) {
      expect(read(request(`/x?bucketry_override=${encodeURIComponent(value)}`)), value).toBeUndefined();
    }
  });

  it('uses the configured names, and only those', () => {
    const read = reader({ enabled: true, query: 'qa', header: 'x-qa' })!;
    expect(read(request('/x?bucketry_override=skill_tree_layout:list', { 'x-bucketry-override': 'skill_tree_layout:list' }))).toBeUndefined();
    expect(read(request('/x?qa=skill_tree_layout:list'))!.get('skill_tree_layout')).toBe('list');
    expect(read(request('/x', { 'x-qa': 'skill_tree_layout:list' }))!.get('skill_tree_layout')).toBe('list');
  });

  it('asks allow, with the framework’s request, and treats a throw as no', () => {
    const url = '/x?bucketry_override=skill_tree_layout:list';
    const seen: Request[] = [];
    const sent = request(url);
    expect(reader({ enabled: true, allow: (r) => (seen.push(r), false) })!(sent)).toBeUndefined();
    expect(seen).toEqual([sent]);
    const throwing = () => {
      throw new Error('no');
    };
    expect(reader({ enabled: true, allow: throwing })!(request(url))).toBeUndefined();
    expect(reader({ enabled: true, allow: () => true })!(request(url))!.size).toBe(1);
  });

  it('does not ask allow when the request carries no override', () => {
    let asked = 0;
    expect(reader({ enabled: true, allow: () => (asked++, true) })!(request('/x?other=1'))).toBeUndefined();
    expect(asked).toBe(0);
  });

  it('reads at most 32 pairs however many are sent', () => {
    const read = reader({ enabled: true }, [skillTree])!;
    const afterJunk = (count: number) => `/x?bucketry_override=${Array.from({ length: count }, () => 'x:y,').join('')}skill_tree_layout:list`;
    // The 32nd pair is read, the 33rd is not; the header's pairs count first.
    expect(read(request(afterJunk(31)))?.get('skill_tree_layout')).toBe('list');
    expect(read(request(afterJunk(32)))).toBeUndefined();
    expect(read(request(afterJunk(0), { 'x-bucketry-override': Array.from({ length: 32 }, () => 'x:y').join(',') }))).toBeUndefined();
  });

  it.each([
    [{ enabled: true, query: 'a b' }, 'qaOverrides.query must be 1-64 characters'],
    [{ enabled: true, header: 'x-qa:' }, 'qaOverrides.header'],
    [{ enabled: true, allow: 'staff' }, 'qaOverrides.allow must be a function, got "staff"'],
    ['on', 'qaOverrides must be an object, got "on"'],
  ])('rejects %j', (options, message) => {
    expect(() => reader(options as never)).toThrow(message);
  });
});
