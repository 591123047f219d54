import { createBucketry, defineExperiment, type Bucketry, type Experiment } from '@bucketry/core';
import { describe, expect, it } from 'vitest';
import type { HttpErrorContext } from './error-context.js';
import { RequestAssignments } from './request-assignments.js';
import { resolveHttpSettings } from './settings.js';

// A given client whose expose throws (a client of the app's own making, or one whose sink is
// called synchronously and breaks): the assignment stands and the error goes to onError as a
// sink error of that experiment. Nothing is thrown at the request.
const everyone = defineExperiment({ key: 'everyone', variants: ['tree', 'list'], rollout: 100 });

describe('a client whose expose throws', () => {
  it('the assignment is shown, and the error is reported as "sink" with the experiment', () => {
    const real = createBucketry({ experiments: [everyone] });
    const failure = new Error('expose broke');
    const client: Bucketry = {
      ...real,
      expose: () => {
        throw failure;
      },
    };
    const errors: { error: unknown; context: HttpErrorContext }[] = [];
    const { settings } = resolveHttpSettings<object, Experiment>(
      '@bucketry/test',
      { client, user: () => 'user-1', onError: (error, context) => errors.push({ error, context }) },
      { header: () => undefined, search: () => '' },
    );
    const headers = new Map<string, string>();
    const assignments = new RequestAssignments(settings, {
      request: {},
      cookieHeader: undefined,
      isSecure: () => false,
      setHeader: (name, value) => void headers.set(name, value),
      addCookie: () => {},
    });
    let shown;
    expect(() => (shown = assignments.show('everyone'))).not.toThrow();
    expect(shown).toMatchObject({ variant: 'list', inExperiment: true, reason: 'bucketed', unit: 'user-1' });
    expect(headers.get('X-Experiment-Everyone')).toBe('list');
    expect(errors).toEqual([{ error: failure, context: { source: 'sink', experiment: 'everyone' } }]);
  });
});
