import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { experimentCookieName, experimentHeaderName, experimentNames } from './experiment-names.js';
import { optionError } from './test-support/option-error.js';

interface Plan {
  readonly experiment: { readonly key: string };
  readonly header: string;
  readonly cookie: string;
}
const vectors = JSON.parse(readFileSync(fileURLToPath(new URL('../../../spec/vectors.json', import.meta.url)), 'utf8')) as { plans: Plan[] };

describe('experimentHeaderName and experimentCookieName', () => {
  it('give the names of every plan in spec/vectors.json (docs/spec.md §5.3)', () => {
    expect(vectors.plans.length).toBeGreaterThan(5);
    for (const plan of vectors.plans) {
      const { key } = plan.experiment;
      expect([experimentHeaderName(key), experimentCookieName(key)], key).toEqual([plan.header, plan.cookie]);
    }
  });

  it('split on _ and - only, keeping dots and empty parts', () => {
    expect(experimentHeaderName('skill_tree_layout')).toBe('X-Experiment-Skill-Tree-Layout');
    expect(experimentHeaderName('checkout.v2-new_flow')).toBe('X-Experiment-Checkout.v2-New-Flow');
    expect(experimentHeaderName('a__b-')).toBe('X-Experiment-A--B-');
    expect(experimentCookieName('checkout-v2')).toBe('exp_checkout-v2');
  });
});

describe('experimentNames', () => {
  it('computes each experiment’s header and cookie once, by key', () => {
    expect(experimentNames([{ key: 'skill_tree_layout' }, { key: 'hero_copy' }])).toEqual(
      new Map([
        ['skill_tree_layout', { header: 'X-Experiment-Skill-Tree-Layout', cookie: 'exp_skill_tree_layout' }],
        ['hero_copy', { header: 'X-Experiment-Hero-Copy', cookie: 'exp_hero_copy' }],
      ]),
    );
  });

  it('refuses two keys that give one header name, naming both', () => {
    const refused = optionError(() => experimentNames([{ key: 'hero_copy' }, { key: 'a_b' }, { key: 'a-b' }]));
    expect(refused).toMatchObject({ field: 'experiments[2].key', value: 'a-b' });
    expect(refused.message).toBe('experiments[2].key must give a header name of its own; "a_b" already gives X-Experiment-A-B, got "a-b"');
  });

  it('never compares a key with a header name: a_b and x-experiment-a-b are two experiments', () => {
    const names = experimentNames([{ key: 'a_b' }, { key: 'x-experiment-a-b' }]);
    expect([...names.values()].map((n) => n.header)).toEqual(['X-Experiment-A-B', 'X-Experiment-X-Experiment-A-B']);
    // In either order.
    expect(experimentNames([{ key: 'x-experiment-a-b' }, { key: 'a_b' }]).size).toBe(2);
  });
});
