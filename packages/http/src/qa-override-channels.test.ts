import { defineExperiment } from '@bucketry/core';
import { describe, expect, it, vi } from 'vitest';
import { createQaOverrideReader, type QaOverrideSource } from './qa-override.js';

// `header: false` and `query: false` each turn one channel off; the other keeps working.
const skillTree = defineExperiment({ key: 'skill_tree_layout', variants: ['tree', 'list'], rollout: 10 });

interface FakeRequest {
  readonly header?: string;
  readonly search?: string;
}

/** A source that answers whatever header name it is asked for, and counts what it was asked. */
function source() {
  const header = vi.fn((req: FakeRequest, _name: string) => req.header);
  const search = vi.fn((req: FakeRequest) => req.search ?? '');
  const from: QaOverrideSource<FakeRequest> = { header, search };
  return { from, header, search };
}

describe('QA override channels', () => {
  it('header: false ignores the header (never reads it) and still reads the query parameter', () => {
    const { from, header, search } = source();
    const read = createQaOverrideReader<FakeRequest>({ enabled: true, header: false }, [skillTree], from);
    expect(read).toBeTypeOf('function');
    expect(read!({ header: 'skill_tree_layout:list' })).toBeUndefined();
    expect(read!({ search: '?bucketry_override=skill_tree_layout:list' })).toEqual(new Map([['skill_tree_layout', 'list']]));
    // Both at once: only the query counts.
    expect(read!({ header: 'skill_tree_layout:tree', search: '?bucketry_override=skill_tree_layout:list' })).toEqual(new Map([['skill_tree_layout', 'list']]));
    expect(header).not.toHaveBeenCalled();
    expect(search).toHaveBeenCalledTimes(3);
  });

  it('query: false ignores the query string (never reads it) and still reads the header', () => {
    const { from, header, search } = source();
    const read = createQaOverrideReader<FakeRequest>({ enabled: true, query: false }, [skillTree], from);
    expect(read).toBeTypeOf('function');
    expect(read!({ search: '?bucketry_override=skill_tree_layout:list' })).toBeUndefined();
    expect(read!({ header: 'skill_tree_layout:list' })).toEqual(new Map([['skill_tree_layout', 'list']]));
    expect(read!({ header: 'skill_tree_layout:list', search: '?bucketry_override=skill_tree_layout:tree' })).toEqual(new Map([['skill_tree_layout', 'list']]));
    expect(search).not.toHaveBeenCalled();
    expect(header).toHaveBeenCalledTimes(3);
    expect(header).toHaveBeenCalledWith(expect.anything(), 'x-bucketry-override');
  });

  it('asks for a configured header by its lowercase name', () => {
    const { from, header } = source();
    const read = createQaOverrideReader<FakeRequest>({ enabled: true, header: 'X-QA-Override', query: false }, [skillTree], from)!;
    expect(read({ header: 'skill_tree_layout:list' })).toEqual(new Map([['skill_tree_layout', 'list']]));
    expect(header).toHaveBeenCalledWith(expect.anything(), 'x-qa-override');
  });

  it('both off: no reader at all, and no name is checked', () => {
    const { from } = source();
    expect(createQaOverrideReader<FakeRequest>({ enabled: true, header: false, query: false }, [skillTree], from)).toBeUndefined();
  });
});
