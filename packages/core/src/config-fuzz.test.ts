import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { assignVariant } from './assign.js';
import { ExperimentConfigError } from './errors.js';
import { experimentFromJSON } from './experiment-json.js';
import type { Unit } from './unit.js';

// #21: for any JSON-ish value, BigInts, cycles, throwing getters, Proxies, deep nesting and huge
// sparse arrays included, experimentFromJSON returns an experiment or throws an
// ExperimentConfigError, nothing else; and assignVariant, given a defined experiment, never throws
// whatever the unit and the attributes.

/**
 * A value to build, so that each run gets fresh objects: a Proxy, a getter or a cycle cannot be
 * generated as data, and a shrunk case must rebuild them.
 */
type Recipe =
  | { readonly kind: 'leaf'; readonly value: unknown }
  | { readonly kind: 'array'; readonly items: readonly Recipe[] }
  | { readonly kind: 'map'; readonly entries: readonly (readonly [string, Recipe])[] }
  | { readonly kind: 'getter'; readonly entries: readonly (readonly [string, Recipe])[]; readonly key: string }
  | { readonly kind: 'proxy'; readonly target: Recipe; readonly trap: 'get' | 'ownKeys' | 'getOwnPropertyDescriptor' | 'has' }
  | { readonly kind: 'revoked' }
  | { readonly kind: 'cycle'; readonly entries: readonly (readonly [string, Recipe])[]; readonly key: string }
  | { readonly kind: 'deep'; readonly levels: number; readonly wrap: 'not' | 'all' | 'array'; readonly inner: Recipe }
  | { readonly kind: 'sparse'; readonly length: number };

const thrower = (): never => {
  throw new Error('hostile');
};

function build(recipe: Recipe): unknown {
  switch (recipe.kind) {
    case 'leaf':
      return recipe.value;
    case 'array':
      return recipe.items.map(build);
    case 'map':
      return Object.fromEntries(recipe.entries.map(([key, value]) => [key, build(value)]));
    case 'getter': {
      const object = build({ kind: 'map', entries: recipe.entries }) as object;
      return Object.defineProperty(object, recipe.key, { get: thrower, enumerable: true, configurable: true });
    }
    case 'proxy': {
      const target = build(recipe.target);
      return target !== null && typeof target === 'object' ? new Proxy(target, { [recipe.trap]: thrower }) : target;
    }
    case 'revoked': {
      const { proxy, revoke } = Proxy.revocable({}, {});
      revoke();
      return proxy;
    }
    case 'cycle': {
      const object = build({ kind: 'map', entries: recipe.entries }) as object;
      // Defined, not assigned: `__proto__` must stay an own field.
      return Object.defineProperty(object, recipe.key, { value: object, enumerable: true, configurable: true, writable: true });
    }
    case 'deep': {
      let value = build(recipe.inner);
      for (let i = 0; i < recipe.levels; i++) value = recipe.wrap === 'array' ? [value] : recipe.wrap === 'not' ? { not: value } : { all: [value] };
      return value;
    }
    case 'sparse': {
      const array: unknown[] = [];
      array.length = recipe.length;
      return array;
    }
  }
}

const NAMES = ['key', 'variants', 'weights', 'rollout', 'traffic', 'salt', 'trafficSalt', 'enabled', 'overrides', 'eligibility', 'holdout', 'layer', 'version'];
const name = fc.oneof(
  fc.constantFrom(...NAMES, 'all', 'any', 'not', 'in', 'notIn', 'eq', 'ne', 'gt', 'lte', 'exists', 'percent', 'range', 'name', 'region'),
  fc.constantFrom('__proto__', 'constructor', 'toJSON', 'a.b', ''),
  fc.string({ maxLength: 6 }),
);
const leaf: fc.Arbitrary<Recipe> = fc
  .oneof(
    fc.string({ maxLength: 8 }),
    fc.constantFrom('a', 'b', 'exp', 'x'.repeat(2_000)),
    fc.double(),
    fc.integer({ min: -5, max: 150 }),
    fc.boolean(),
    fc.constantFrom(null, undefined, Symbol('s'), () => true, new Date(0), new Map(), Object(1n)),
    fc.bigInt({ min: -(2n ** 70n), max: 2n ** 70n }),
  )
  .map((value): Recipe => ({ kind: 'leaf', value }));

const { value } = fc.letrec<{ value: Recipe }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    leaf,
    fc.array(tie('value'), { maxLength: 4 }).map((items): Recipe => ({ kind: 'array', items })),
    fc.array(fc.tuple(name, tie('value')), { maxLength: 4 }).map((entries): Recipe => ({ kind: 'map', entries })),
    fc.record({ entries: fc.array(fc.tuple(name, tie('value')), { maxLength: 3 }), key: name }).map((r): Recipe => ({ kind: 'getter', ...r })),
    fc.record({ target: tie('value'), trap: fc.constantFrom('get', 'ownKeys', 'getOwnPropertyDescriptor', 'has') }).map((r): Recipe => ({ kind: 'proxy', ...r })),
    fc.constant<Recipe>({ kind: 'revoked' }),
    fc.record({ entries: fc.array(fc.tuple(name, tie('value')), { maxLength: 3 }), key: name }).map((r): Recipe => ({ kind: 'cycle', ...r })),
    fc
      .record({ levels: fc.oneof(fc.integer({ min: 1, max: 70 }), fc.constantFrom(5_000, 50_000)), wrap: fc.constantFrom('not', 'all', 'array'), inner: tie('value') })
      .map((r): Recipe => ({ kind: 'deep', ...r })),
    fc.constantFrom(2 ** 32 - 1, 100_001, 1_001).map((length): Recipe => ({ kind: 'sparse', length })),
  ),
}));

const map = (entries: Record<string, fc.Arbitrary<Recipe>>, required: string[] = []): fc.Arbitrary<Recipe> =>
  fc.record(entries, { requiredKeys: required }).map((fields): Recipe => ({ kind: 'map', entries: Object.entries(fields) }));
const json = (v: unknown): fc.Arbitrary<Recipe> => fc.constant<Recipe>({ kind: 'leaf', value: v });
const percent = fc.oneof(fc.double({ min: 0, max: 100 }), fc.integer({ min: 0, max: 100 })).map((v): Recipe => ({ kind: 'leaf', value: v }));

/** Eligibility rules, mostly well formed so that the compiler's checks are reached, any value anywhere. */
const { rule } = fc.letrec<{ rule: Recipe }>((tie) => ({
  rule: fc.oneof(
    { depthSize: 'small' },
    map({ region: map({ in: fc.oneof(json(['eu', 'uk']), value), eq: fc.oneof(json('eu'), value), gte: fc.oneof(json(18), value) }) }),
    fc.array(tie('rule'), { minLength: 1, maxLength: 3 }).map((items): Recipe => ({ kind: 'map', entries: [['all', { kind: 'array', items }]] })),
    fc.array(tie('rule'), { minLength: 1, maxLength: 3 }).map((items): Recipe => ({ kind: 'map', entries: [['any', { kind: 'array', items }]] })),
    tie('rule').map((inner): Recipe => ({ kind: 'map', entries: [['not', inner]] })),
    value,
  ),
}));

/** Configurations near valid ones, with any value in any field, and any value at all. */
const config: fc.Arbitrary<Recipe> = fc.oneof(
  map(
    {
      key: fc.oneof(json('exp'), value),
      variants: fc.oneof(json(['a', 'b']), json(['a', 'b', 'c']), value),
      weights: fc.oneof(json([1, 3]), value),
      rollout: fc.oneof(percent, value),
      traffic: fc.oneof(percent, value),
      salt: fc.oneof(json('s'), value),
      enabled: fc.oneof(json(false), value),
      overrides: fc.oneof(json({ 'qa-1': 'b' }), value),
      eligibility: rule,
      holdout: fc.oneof(map({ key: json('h'), percent }), value),
      layer: fc.oneof(map({ name: json('l'), range: fc.oneof(json([0, 50]), value) }), value),
      version: fc.oneof(json('v1'), value),
      extra: value,
    },
    ['key', 'variants'],
  ),
  value,
);

const isConfigError = (run: () => unknown): boolean => {
  try {
    run();
    return true;
  } catch (error) {
    if (error instanceof ExperimentConfigError) return true;
    throw error;
  }
};

const experiments = [
  experimentFromJSON({ key: 'plain', variants: ['a', 'b'] }),
  experimentFromJSON({
    key: 'everything',
    variants: ['a', 'b', 'c'],
    weights: [1, 1, 2],
    traffic: 80,
    overrides: { 'qa-1': 'b' },
    eligibility: { any: [{ region: { in: ['eu', 'uk'] } }, { not: { age: { lt: 18 } } }] },
    holdout: { key: 'h', percent: 5 },
    layer: { name: 'l', range: [0, 90] },
  }),
];

/** Units: strings, compound units of any field values, and any value at all. */
const unit: fc.Arbitrary<Recipe> = fc.oneof(
  fc.string({ maxLength: 12 }).map((v): Recipe => ({ kind: 'leaf', value: v })),
  fc.array(fc.tuple(name, fc.oneof(leaf, value)), { minLength: 1, maxLength: 3 }).map((entries): Recipe => ({ kind: 'map', entries })),
  value,
);

// A run takes about 6 ms here (nesting 50,000 deep, 2,000-character strings); the timeout leaves
// room for a machine that is busy with other work, and is no performance check.
const RUNS = 300;
const TIMEOUT = 120_000;

describe('hostile configurations and units (fast-check)', () => {
  it('experimentFromJSON returns an experiment or throws an ExperimentConfigError, whatever it is given', () => {
    fc.assert(
      fc.property(config, (recipe) => {
        const given = build(recipe);
        expect(isConfigError(() => experimentFromJSON(given as never))).toBe(true);
        let text: string | undefined;
        try {
          text = JSON.stringify(given);
        } catch {
          // Not JSON: only the object form applies.
        }
        if (text !== undefined) expect(isConfigError(() => experimentFromJSON(text))).toBe(true);
      }),
      { numRuns: RUNS },
    );
  }, TIMEOUT);

  it('assignVariant never throws for a defined experiment, whatever the unit and the attributes', () => {
    fc.assert(
      fc.property(unit, fc.oneof(fc.constant<Recipe>({ kind: 'leaf', value: undefined }), value), (unitRecipe, attributes) => {
        for (const experiment of experiments) {
          const assignment = assignVariant(experiment, build(unitRecipe) as Unit, build(attributes) as never);
          expect(experiment.variants).toContain(assignment.variant);
        }
      }),
      { numRuns: RUNS },
    );
  }, TIMEOUT);
});
