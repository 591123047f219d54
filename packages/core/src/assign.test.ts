import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { assignVariant } from './assign.js';
import { eligibilityRule, type Attributes, type EligibilityPredicate, type EligibilityRule } from './eligibility.js';
import { defineExperiment, type ExperimentConfig } from './experiment.js';
import { experimentFromJSON } from './experiment-json.js';
import { defineHoldout } from './holdout.js';
import { layerSlice } from './layer.js';
import { assignSticky, createMemoryStickyStore } from './sticky.js';
import { unitKey, type Unit } from './unit.js';
import { goodnessOfFit, proportion } from './test-support/chi-square.js';
import { configError, expectConfigError } from './test-support/config-error.js';
import { failingStickyStores } from './test-support/failing-sticky-stores.js';

/** Below this p-value a statistical test fails: 1 in 1,000 for a fixed id set. */
const ALPHA = 0.001;

const range = (n: number, id: (i: number) => string): string[] => Array.from({ length: n }, (_, i) => id(i + 1));

/** A small deterministic PRNG (xorshift32) for id sets that must be the same on every run. */
function xorshift32(seed: number): () => number {
  let state = seed >>> 0 || 1;
  return () => {
    state = (state ^ (state << 13)) >>> 0;
    state = (state ^ (state >>> 17)) >>> 0;
    state = (state ^ (state << 5)) >>> 0;
    return state;
  };
}

const hex8 = (n: number): string => n.toString(16).padStart(8, '0');

/** Version-4-shaped UUIDs from a fixed seed. */
function uuidLikeIds(n: number, seed: number): string[] {
  const next = xorshift32(seed);
  return range(n, () => {
    const h = hex8(next()) + hex8(next()) + hex8(next()) + hex8(next());
    const variantNibble = '89ab'[next() % 4]!;
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${variantNibble}${h.slice(17, 20)}-${h.slice(20, 32)}`;
  });
}

const FIRST_NAMES = ['ana', 'ben', 'chen', 'dara', 'eli', 'fatima', 'gus', 'hana', 'ivan', 'jo', 'kofi', 'lena'];
const LAST_NAMES = ['silva', 'smith', 'wang', 'okafor', 'muller', 'rossi', 'kim', 'novak', 'garcia', 'haddad'];
const DOMAINS = ['example.com', 'mail.example.org', 'corp.example.net', 'example.de', 'uni.example.ac.uk'];

/** Realistic-looking emails from a fixed seed; the index keeps them distinct. */
function emailIds(n: number, seed: number): string[] {
  const next = xorshift32(seed);
  const pick = (list: readonly string[]): string => list[next() % list.length]!;
  return range(n, (i) => `${pick(FIRST_NAMES)}.${pick(LAST_NAMES)}${i}@${pick(DOMAINS)}`);
}

const N = 100_000;
const ID_SETS: [name: string, ids: string[]][] = [
  ['sequential ids user-1..user-N', range(N, (i) => `user-${i}`)],
  ["numeric strings '1'..'N'", range(N, String)],
  ['UUID-like ids', uuidLikeIds(N, 0x5eed)],
  ['emails', emailIds(N, 0xe4a1)],
];

/** Counts how many ids fall in each of `k` categories. */
function countBy(ids: readonly string[], k: number, categoryOf: (id: string) => number): number[] {
  const counts = new Array<number>(k).fill(0);
  for (const id of ids) counts[categoryOf(id)]!++;
  return counts;
}

/** defineExperiment for configs that are deliberately wrong, as they would arrive from JSON. */
const defineUnchecked = (config: unknown) => defineExperiment(config as ExperimentConfig);

const units: fc.Arbitrary<Unit> = fc.oneof(
  fc.string({ unit: 'grapheme', minLength: 1, maxLength: 24 }),
  fc.record({ tenantId: fc.string({ minLength: 1, maxLength: 8 }), userId: fc.integer({ min: 0, max: 1e9 }) }),
);
/** A percentage on the 0.0001 grid: up to 4 decimals, 0–100. */
const gridPercent = fc.integer({ min: 0, max: 1_000_000 }).map((buckets) => buckets / 10_000);
const orderedPercents = fc.tuple(gridPercent, gridPercent).map(([a, b]): [number, number] => (a <= b ? [a, b] : [b, a]));
/** 2–4 variants with random weights; at least one treatment weighs more than 0. */
const variantsWithWeights = fc.integer({ min: 2, max: 4 }).chain((k) =>
  fc
    .array(fc.integer({ min: 0, max: 100 }), { minLength: k, maxLength: k })
    .filter((weights) => weights.slice(1).some((w) => w > 0))
    .map((weights) => ({ variants: ['control', 't1', 't2', 't3'].slice(0, k), weights })),
);

describe('determinism', () => {
  it('gives the same assignment for the same unit under the same config defined twice', () => {
    fc.assert(
      fc.property(
        fc.array(units, { minLength: 1, maxLength: 20 }),
        variantsWithWeights,
        gridPercent,
        gridPercent,
        fc.constantFrom('skill_tree_layout', 'checkout.v2', 'a'),
        (unitList, { variants, weights }, rollout, traffic, key) => {
          const first = defineExperiment({ key, variants: [...variants], weights: [...weights], rollout, traffic });
          const second = defineExperiment({ key, variants: [...variants], weights: [...weights], rollout, traffic });
          for (const unit of unitList) expect(assignVariant(second, unit)).toEqual(assignVariant(first, unit));
        },
      ),
      { seed: 1101, numRuns: 200 },
    );
  });

  it('ignores the field order of a compound unit', () => {
    const experiment = defineExperiment({ key: 'skill_tree_layout', variants: ['tree', 'list', 'grid'] });
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 12 }), fc.string({ minLength: 1, maxLength: 12 }), (tenantId, userId) => {
        const tenantFirst = assignVariant(experiment, { tenantId, userId });
        const userFirst = assignVariant(experiment, { userId, tenantId });
        expect(userFirst).toEqual(tenantFirst);
        expect(tenantFirst.unit).toBe(JSON.stringify({ tenantId, userId }));
      }),
      { seed: 1102, numRuns: 500 },
    );
  });

  it("treats 42 and '42' in a compound unit as the same unit", () => {
    const experiment = defineExperiment({ key: 'skill_tree_layout', variants: ['tree', 'list', 'grid'] });
    for (let userId = 0; userId < 2_000; userId++) {
      const asNumber = assignVariant(experiment, { tenantId: 'acme', userId });
      expect(assignVariant(experiment, { tenantId: 'acme', userId: String(userId) })).toEqual(asNumber);
      expect(asNumber.unit).toBe(`{"tenantId":"acme","userId":"${userId}"}`);
    }
  });
});

describe('ramps never reshuffle', () => {
  it('keeps every treated unit on its treatment when rollout rises from r1 to r2', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(units, { minLength: 30, maxLength: 30, selector: (unit) => unitKey(unit) }),
        orderedPercents,
        variantsWithWeights,
        (unitList, [r1, r2], { variants, weights }) => {
          const low = defineExperiment({ key: 'ramp', variants, weights, rollout: r1 });
          const high = defineExperiment({ key: 'ramp', variants, weights, rollout: r2 });
          for (const unit of unitList) {
            const before = assignVariant(low, unit).variant;
            const after = assignVariant(high, unit).variant;
            if (before !== 'control') expect(after).toBe(before);
            if (after === 'control') expect(before).toBe('control');
          }
        },
      ),
      { seed: 2201, numRuns: 400 },
    );
  });

  it('never changes the variant of a unit already in, nor takes it out, when traffic rises from t1 to t2', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(units, { minLength: 30, maxLength: 30, selector: (unit) => unitKey(unit) }),
        orderedPercents,
        gridPercent.filter((rollout) => rollout > 0),
        variantsWithWeights,
        (unitList, [t1, t2], rollout, { variants, weights }) => {
          const narrow = defineExperiment({ key: 'ramp', variants, weights, rollout, traffic: t1 });
          const wide = defineExperiment({ key: 'ramp', variants, weights, rollout, traffic: t2 });
          for (const unit of unitList) {
            const before = assignVariant(narrow, unit);
            const after = assignVariant(wide, unit);
            if (before.inExperiment) {
              expect(after.inExperiment).toBe(true);
              expect(after.variant).toBe(before.variant);
            } else {
              expect(before.reason).toBe('traffic');
            }
          }
        },
      ),
      { seed: 2202, numRuns: 400 },
    );
  });

  it('moves 0 of 10,000 users from list back to tree on the runbook ladder 10 → 50 → 100', () => {
    const users = range(10_000, (i) => `user-${i}`);
    const ladder = [10, 50, 100].map((rollout) =>
      defineExperiment({ key: 'skill_tree_layout', variants: ['tree', 'list'], rollout }),
    );
    const onList = ladder.map((experiment) => new Set(users.filter((u) => assignVariant(experiment, u).variant === 'list')));
    const [at10, at50, at100] = onList as [Set<string>, Set<string>, Set<string>];

    expect([...at10].filter((u) => !at50.has(u))).toEqual([]);
    expect([...at50].filter((u) => !at100.has(u))).toEqual([]);
    expect(proportion(at10.size, users.length, 0.1).p).toBeGreaterThan(ALPHA);
    expect(proportion(at50.size, users.length, 0.5).p).toBeGreaterThan(ALPHA);
    expect(at100.size).toBe(users.length);
  });
});

describe('boundaries', () => {
  const users = range(5_000, (i) => `user-${i}`);
  const listForEveryone = () =>
    createMemoryStickyStore(users.map((unit) => ({ unit, experiment: 'skill_tree_layout', variant: 'list' })));

  it.each([
    ['rollout 0', { rollout: 0 }],
    ['enabled: false', { rollout: 50, enabled: false }],
  ])('%s gives everyone control with reason "disabled", over sticky "list" records', (_name, killSwitch) => {
    const experiment = defineExperiment({ key: 'skill_tree_layout', variants: ['tree', 'list'], ...killSwitch });
    const sticky = listForEveryone();
    for (const user of users) {
      expect(assignSticky(experiment, user, undefined, sticky)).toEqual({
        experiment: 'skill_tree_layout',
        variant: 'tree',
        inExperiment: false,
        reason: 'disabled',
        bucket: -1,
        unit: user,
      });
    }
    // The kill switch must not overwrite what units had.
    expect(sticky.records().every((record) => record.variant === 'list')).toBe(true);
  });

  it.each([
    ['rollout 0', { rollout: 0 }],
    ['enabled: false', { rollout: 50, enabled: false }],
  ])('%s beats every override: the config map, a QA override for the call, a sticky record', (_name, killSwitch) => {
    const experiment = defineExperiment({
      key: 'skill_tree_layout',
      variants: ['tree', 'list'],
      overrides: { 'qa-1': 'list' },
      ...killSwitch,
    });
    const killed = { variant: 'tree', reason: 'disabled', inExperiment: false, bucket: -1, unit: 'qa-1' };
    expect(assignSticky(experiment, 'qa-1', undefined, listForEveryone())).toMatchObject(killed);
    expect(assignVariant(experiment, 'qa-1', undefined, { override: 'list' })).toMatchObject(killed);
    expect(assignVariant(experiment, 'user-1').reason).toBe('disabled');
  });

  it('rollout 100 treats everyone, with every treatment getting its share', () => {
    const experiment = defineExperiment({ key: 'skill_tree_layout', variants: ['tree', 'list', 'grid'], rollout: 100 });
    const counts = { tree: 0, list: 0, grid: 0 };
    for (const user of users) {
      const assignment = assignVariant(experiment, user);
      expect(assignment.inExperiment).toBe(true);
      expect(assignment.reason).toBe('bucketed');
      counts[assignment.variant]++;
    }
    expect(counts.tree).toBe(0);
    expect(goodnessOfFit([counts.list, counts.grid], [1, 1]).p).toBeGreaterThan(ALPHA);
  });

  it('traffic 0 lets nobody in (reason "traffic") and traffic 100 lets everybody in', () => {
    const closed = defineExperiment({ key: 'skill_tree_layout', variants: ['tree', 'list'], rollout: 50, traffic: 0 });
    const open = defineExperiment({ key: 'skill_tree_layout', variants: ['tree', 'list'], rollout: 50, traffic: 100 });
    for (const user of users) {
      expect(assignVariant(closed, user)).toMatchObject({ variant: 'tree', inExperiment: false, reason: 'traffic' });
      expect(assignVariant(open, user)).toMatchObject({ inExperiment: true, reason: 'bucketed' });
    }
  });

  it('reports the traffic bucket that kept a unit out, at or above the threshold', () => {
    const experiment = defineExperiment({ key: 'skill_tree_layout', variants: ['tree', 'list'], traffic: 25 });
    let out = 0;
    for (const user of users) {
      const assignment = assignVariant(experiment, user);
      if (assignment.reason !== 'traffic') continue;
      out++;
      expect(assignment.bucket).toBeGreaterThanOrEqual(250_000);
      expect(assignment.bucket).toBeLessThan(1_000_000);
    }
    expect(proportion(out, users.length, 0.75).p).toBeGreaterThan(ALPHA);
  });

  it('rollout 0.01 treats about 0.01% of 1,000,000 ids', () => {
    const experiment = defineExperiment({ key: 'skill_tree_layout', variants: ['tree', 'list'], rollout: 0.01 });
    let treated = 0;
    for (let i = 1; i <= 1_000_000; i++) if (assignVariant(experiment, `user-${i}`).variant === 'list') treated++;
    // Expected 100, binomial standard deviation 10: p > 0.001 keeps it within about 67..133.
    expect(proportion(treated, 1_000_000, 0.0001).p).toBeGreaterThan(ALPHA);
  });

  it('accepts rollout 0.0001 (one bucket in a million) and refuses 0.00001', () => {
    const finest = defineExperiment({ key: 'skill_tree_layout', variants: ['tree', 'list'], rollout: 0.0001 });
    expect(finest.rollout).toBe(0.0001);
    expect(finest.plan.rolloutBuckets).toBe(1);
    expectConfigError(
      () => defineExperiment({ key: 'skill_tree_layout', variants: ['tree', 'list'], rollout: 0.00001 }),
      'rollout',
      '0.00001',
      'at most 4 decimals',
    );
  });
});

describe('uniformity', () => {
  const fiftyFifty = defineExperiment({ key: 'skill_tree_layout', variants: ['tree', 'list'], rollout: 50 });
  const abn = defineExperiment({ key: 'checkout_flow', variants: ['a', 'b', 'c'], weights: [50, 30, 20] });

  /** The goodness-of-fit test every id set must pass; the power checks below run it on biased splits. */
  const splitFits = (counts: number[], shares: number[]) => goodnessOfFit(counts, shares).p;
  const equal = (k: number) => new Array<number>(k).fill(1);

  describe.each(ID_SETS)('%s', (_name, ids) => {
    it('spreads rollout buckets evenly over 100 bins', () => {
      const counts = countBy(ids, 100, (id) => {
        const assignment = assignVariant(fiftyFifty, id);
        expect(assignment.reason).toBe('bucketed');
        return Math.floor(assignment.bucket / 10_000);
      });
      expect(splitFits(counts, equal(100))).toBeGreaterThan(ALPHA);
    });

    it('splits rollout 50 into 50/50', () => {
      const counts = countBy(ids, 2, (id) => (assignVariant(fiftyFifty, id).variant === 'list' ? 1 : 0));
      expect(splitFits(counts, equal(2))).toBeGreaterThan(ALPHA);
    });

    it('splits weights [50, 30, 20] into 50/30/20', () => {
      const counts = countBy(ids, 3, (id) => abn.variants.indexOf(assignVariant(abn, id).variant));
      expect(splitFits(counts, [50, 30, 20])).toBeGreaterThan(ALPHA);
    });

    it('has the power to reject a split that is one point off (51/49)', () => {
      // The real bucket, with the threshold moved: a skew the 50/50 test must notice.
      const counts = countBy(ids, 2, (id) => (assignVariant(fiftyFifty, id).bucket < 510_000 ? 1 : 0));
      expect(splitFits(counts, equal(2))).toBeLessThan(ALPHA);
    });
  });

  it('has the power to reject a last-character split (id.charCodeAt(id.length - 1) % 2) on emails', () => {
    const emails = ID_SETS[3]![1];
    const counts = countBy(emails, 2, (id) => id.charCodeAt(id.length - 1) % 2);
    expect(splitFits(counts, equal(2))).toBeLessThan(ALPHA);
  });

  it('has the power to reject a char-code-sum hash over 100 bins on sequential ids', () => {
    const sequential = ID_SETS[0]![1];
    const counts = countBy(sequential, 100, (id) => {
      let sum = 0;
      for (let i = 0; i < id.length; i++) sum += id.charCodeAt(i);
      return sum % 100;
    });
    expect(splitFits(counts, equal(100))).toBeLessThan(ALPHA);
  });
});

describe('overrides', () => {
  it('forces the variant (reason "override", not in the experiment) even against rollout 100', () => {
    const experiment = defineExperiment({
      key: 'skill_tree_layout',
      variants: ['tree', 'list'],
      rollout: 100,
      overrides: { 'qa-1': 'tree', 'qa-2': 'list' },
    });
    expect(assignVariant(experiment, 'qa-1')).toEqual({
      experiment: 'skill_tree_layout',
      variant: 'tree',
      inExperiment: false,
      reason: 'override',
      bucket: -1,
      unit: 'qa-1',
    });
    expect(assignVariant(experiment, 'qa-2')).toMatchObject({ variant: 'list', reason: 'override' });
    expect(assignVariant(experiment, 'user-1')).toMatchObject({ variant: 'list', reason: 'bucketed' });
  });

  it('wins over eligibility, holdout, layer, traffic and a sticky record', () => {
    const experiment = defineExperiment({
      key: 'skill_tree_layout',
      variants: ['tree', 'list'],
      traffic: 0,
      overrides: { 'qa-1': 'list' },
      eligibility: eligibilityRule({ region: { eq: 'eu' } }),
      holdout: defineHoldout({ key: 'everyone', percent: 100 }),
      layer: layerSlice({ name: 'home', range: [0, 0.0001] }),
    });
    const sticky = createMemoryStickyStore([{ unit: 'qa-1', experiment: 'skill_tree_layout', variant: 'tree' }]);
    expect(assignSticky(experiment, 'qa-1', { region: 'us' }, sticky)).toMatchObject({ variant: 'list', reason: 'override' });
    expect(assignVariant(experiment, 'user-1', { region: 'eu' })).toMatchObject({ reason: 'holdout' });
  });

  it('refuses an override to an unknown variant, naming overrides["qa-1"]', () => {
    const error = expectConfigError(
      () => defineUnchecked({ key: 'skill_tree_layout', variants: ['tree', 'list'], overrides: { 'qa-1': 'grid' } }),
      'overrides["qa-1"]',
      '"grid"',
      'must be one of the variants (tree, list)',
    );
    expect(error.value).toBe('grid');
  });

  it('keys compound units by unitKey, whatever the field order or number type', () => {
    const qa = unitKey({ userId: 42, tenantId: 'acme' })!;
    expect(qa).toBe('{"tenantId":"acme","userId":"42"}');
    const experiment = defineExperiment({ key: 'skill_tree_layout', variants: ['tree', 'list'], rollout: 1, overrides: { [qa]: 'list' } });
    expect(assignVariant(experiment, { tenantId: 'acme', userId: '42' })).toMatchObject({ variant: 'list', reason: 'override', unit: qa });
    expect(assignVariant(experiment, { userId: 42, tenantId: 'acme' })).toMatchObject({ variant: 'list', reason: 'override' });
    expect(assignVariant(experiment, { tenantId: 'other', userId: 42 }).reason).toBe('bucketed');
  });
});

describe('eligibility', () => {
  const experimentWith = (eligibility: EligibilityPredicate) =>
    defineExperiment({ key: 'skill_tree_layout', variants: ['tree', 'list'], rollout: 100, eligibility });
  /** Whether the experiment lets the unit in: 'bucketed' (treated at rollout 100) or 'ineligible'. */
  const lets = (rule: EligibilityRule | EligibilityPredicate, attributes: Attributes | null | undefined): boolean => {
    const assignment = assignVariant(experimentWith(typeof rule === 'function' ? rule : eligibilityRule(rule)), 'user-1', attributes);
    if (assignment.reason === 'ineligible') {
      expect(assignment).toMatchObject({ variant: 'tree', inExperiment: false, bucket: -1 });
      return false;
    }
    expect(assignment).toMatchObject({ variant: 'list', reason: 'bucketed' });
    return true;
  };

  const cases: [name: string, rule: EligibilityRule, attributes: Attributes, eligible: boolean][] = [
    ['in: listed value', { region: { in: ['eu', 'uk'] } }, { region: 'eu' }, true],
    ['in: unlisted value', { region: { in: ['eu', 'uk'] } }, { region: 'us' }, false],
    ['in: missing attribute', { region: { in: ['eu', 'uk'] } }, {}, false],
    ['in: types are strict', { tier: { in: [1, 2] } }, { tier: '1' }, false],
    ['in: an array attribute with a listed item', { roles: { in: ['admin'] } }, { roles: ['editor', 'admin'] }, true],
    ['in: an array attribute without one', { roles: { in: ['admin'] } }, { roles: ['editor'] }, false],
    ['notIn: unlisted value', { region: { notIn: ['us'] } }, { region: 'eu' }, true],
    ['notIn: listed value', { region: { notIn: ['us'] } }, { region: 'us' }, false],
    ['notIn: missing attribute passes', { region: { notIn: ['us'] } }, {}, true],
    ['notIn: an array attribute with a listed item', { roles: { notIn: ['banned'] } }, { roles: ['user', 'banned'] }, false],
    ['eq: equal', { plan: { eq: 'pro' } }, { plan: 'pro' }, true],
    ['eq: different', { plan: { eq: 'pro' } }, { plan: 'free' }, false],
    ['eq: boolean is not its text', { beta: { eq: true } }, { beta: 'true' }, false],
    ['eq: an array attribute containing it', { roles: { eq: 'admin' } }, { roles: ['admin'] }, true],
    ['ne: different', { plan: { ne: 'free' } }, { plan: 'pro' }, true],
    ['ne: equal', { plan: { ne: 'free' } }, { plan: 'free' }, false],
    ['ne: missing attribute passes', { plan: { ne: 'free' } }, {}, true],
    ['ne: an array attribute containing it', { roles: { ne: 'banned' } }, { roles: ['user', 'banned'] }, false],
    ['gt: above', { age: { gt: 17 } }, { age: 18 }, true],
    ['gt: equal', { age: { gt: 17 } }, { age: 17 }, false],
    ['gt: a numeric string is not a number', { age: { gt: 17 } }, { age: '18' }, false],
    ['gte and lt together: lower edge', { age: { gte: 18, lt: 65 } }, { age: 18 }, true],
    ['gte and lt together: upper edge', { age: { gte: 18, lt: 65 } }, { age: 65 }, false],
    ['gte and lt together: inside', { age: { gte: 18, lt: 65 } }, { age: 64.9 }, true],
    ['gte: below', { age: { gte: 18 } }, { age: 17.99 }, false],
    ['lt: missing attribute fails', { age: { lt: 65 } }, {}, false],
    ['lte: equal', { age: { lte: 12 } }, { age: 12 }, true],
    ['lte: above', { age: { lte: 12 } }, { age: 13 }, false],
    ['exists true: present (even false)', { beta: { exists: true } }, { beta: false }, true],
    ['exists true: null counts as absent', { beta: { exists: true } }, { beta: null }, false],
    ['exists true: absent', { beta: { exists: true } }, {}, false],
    ['exists false: absent', { beta: { exists: false } }, {}, true],
    ['exists false: present', { beta: { exists: false } }, { beta: 1 }, false],
    ['all: every rule holds', { all: [{ region: { eq: 'eu' } }, { plan: { eq: 'pro' } }] }, { region: 'eu', plan: 'pro' }, true],
    ['all: one rule fails', { all: [{ region: { eq: 'eu' } }, { plan: { eq: 'pro' } }] }, { region: 'eu', plan: 'free' }, false],
    ['any: one rule holds', { any: [{ region: { eq: 'eu' } }, { plan: { eq: 'pro' } }] }, { region: 'us', plan: 'pro' }, true],
    ['any: no rule holds', { any: [{ region: { eq: 'eu' } }, { plan: { eq: 'pro' } }] }, { region: 'us', plan: 'free' }, false],
    ['not: inner rule holds', { not: { region: { eq: 'us' } } }, { region: 'us' }, false],
    ['not: inner rule fails', { not: { region: { eq: 'us' } } }, { region: 'eu' }, true],
    ['several attributes: all must hold', { region: { eq: 'eu' }, plan: { eq: 'pro' } }, { region: 'eu' }, false],
    [
      'nested: in the EU or UK, not internal, staff or 21+',
      { all: [{ region: { in: ['eu', 'uk'] } }, { not: { tenantId: { in: ['internal'] } } }, { any: [{ roles: { eq: 'staff' } }, { age: { gte: 21 } }] }] },
      { region: 'uk', tenantId: 'acme', roles: ['staff'] },
      true,
    ],
  ];

  it.each(cases)('%s', (_name, rule, attributes, eligible) => {
    expect(lets(rule, attributes)).toBe(eligible);
  });

  it('treats null or missing attributes as none', () => {
    expect(lets({ region: { exists: false } }, null)).toBe(true);
    expect(lets({ region: { exists: true } }, undefined)).toBe(false);
  });

  it('reads a rule from a config living in a file (JSON text, or JSON.parse output)', () => {
    const file =
      '{"key":"skill_tree_layout","variants":["tree","list"],"rollout":100,' +
      '"eligibility":{"any":[{"roles":{"in":["beta-tester"]}},{"all":[{"region":{"eq":"eu"}},{"age":{"gte":18}}]}]}}';
    for (const experiment of [experimentFromJSON(file), experimentFromJSON(JSON.parse(file) as Parameters<typeof experimentFromJSON>[0])]) {
      expect(assignVariant(experiment, 'user-1', { roles: ['beta-tester'] }).reason).toBe('bucketed');
      expect(assignVariant(experiment, 'user-1', { region: 'eu', age: 30 }).reason).toBe('bucketed');
      expect(assignVariant(experiment, 'user-1', { region: 'eu', age: 17 }).reason).toBe('ineligible');
    }
    const rule = JSON.parse('{"region": {"in": ["eu", "uk"]}}') as EligibilityRule;
    expect(lets(rule, { region: 'uk' })).toBe(true);
    expect(lets(rule, { region: 'us' })).toBe(false);
  });

  it('refuses a plain rule object in defineExperiment, pointing to eligibilityRule', () => {
    expectConfigError(
      () => defineUnchecked({ key: 'skill_tree_layout', variants: ['tree', 'list'], eligibility: { region: { in: ['eu'] } } }),
      'eligibility',
      'an object',
      'eligibilityRule',
    );
  });

  describe('prototype safety', () => {
    it('does not match inherited names such as toString or constructor on an empty attribute map', () => {
      expect(lets({ toString: { exists: true } }, {})).toBe(false);
      expect(lets({ constructor: { exists: true } }, {})).toBe(false);
      expect(lets({ hasOwnProperty: { exists: false } }, {})).toBe(true);
    });

    it('ignores attributes an object only inherits', () => {
      // Object.assign with a parsed "__proto__" sets the copy's prototype: the attribute is inherited, not own.
      const inherited = Object.assign({}, JSON.parse('{"__proto__": {"plan": "pro"}}')) as Attributes;
      expect((inherited as { plan?: unknown }).plan).toBe('pro');
      expect(lets({ plan: { eq: 'pro' } }, inherited)).toBe(false);
    });

    it('treats "__proto__" in parsed rules and attributes as a plain attribute name, polluting nothing', () => {
      const rule = JSON.parse('{"__proto__": {"eq": "x"}}') as EligibilityRule;
      expect(lets(rule, JSON.parse('{"__proto__": "x"}') as Attributes)).toBe(true);
      expect(lets(rule, {})).toBe(false);

      const attributes = JSON.parse('{"__proto__": {"polluted": true}, "constructor": {"prototype": {"polluted": true}}, "region": "eu"}') as Attributes;
      expect(lets({ region: { eq: 'eu' } }, attributes)).toBe(true);
      expect(lets({ polluted: { exists: true } }, attributes)).toBe(false);
      expectConfigError(
        () => eligibilityRule(JSON.parse('{"__proto__": {"polluted": {"eq": 1}}}') as EligibilityRule),
        'eligibility.__proto__.polluted',
        'an object',
        'is not an operator',
      );
      expectConfigError(
        () => eligibilityRule(JSON.parse('{"region": {"__proto__": ["eu"]}}') as EligibilityRule),
        'eligibility.region.__proto__',
        '["eu"]',
        'is not an operator',
      );
      expect(({} as { polluted?: unknown }).polluted).toBeUndefined();
      expect((Object.prototype as { polluted?: unknown }).polluted).toBeUndefined();
    });
  });

  it.each([
    ['eligibility.any[1].region.in', { any: [{ plan: { eq: 'pro' } }, { region: { in: 'eu' } }] }, '"eu"', 'an array of strings, numbers or booleans'],
    ['eligibility.region.in[0]', { region: { in: [{}] } }, 'an object', 'must be a string, number or boolean'],
    ['eligibility.all', { all: [] }, '[]', 'non-empty array of rules'],
    ['eligibility.any', { any: { region: { eq: 'eu' } } }, 'an object', 'non-empty array of rules'],
    ['eligibility.not', { not: 'region' }, '"region"', '{ not: rule }'],
    ['eligibility', {}, 'an object', '{ all: [...] }'],
    ['eligibility', [], '[]', '{ all: [...] }'],
    ['eligibility', { all: [{ a: { eq: 1 } }], region: { eq: 'eu' } }, 'an object', 'must hold "all" alone'],
    ['eligibility.region.equals', { region: { equals: 'eu' } }, '"eu"', 'is not an operator'],
    ['eligibility.region', { region: {} }, 'an object', 'in, notIn, eq, ne, gt, gte, lt, lte, exists'],
    ['eligibility.region', { region: 'eu' }, '"eu"', 'in, notIn, eq, ne, gt, gte, lt, lte, exists'],
    ['eligibility.all[0].not.age.gt', { all: [{ not: { age: { gt: '5' } } }] }, '"5"', 'a finite number'],
    ['eligibility.age.lte', { age: { lte: Number.NaN } }, 'NaN', 'a finite number'],
    ['eligibility.plan.eq', { plan: { eq: null } }, 'null', 'a string, number or boolean'],
    ['eligibility.beta.exists', { beta: { exists: 'yes' } }, '"yes"', 'true or false'],
  ])('refuses an invalid rule at %s', (field, rule, got, must) => {
    expectConfigError(() => eligibilityRule(rule as unknown as EligibilityRule), field, got, must);
  });

  it('refuses an invalid rule in a config file with the same path', () => {
    expectConfigError(
      () => experimentFromJSON('{"key":"skill_tree_layout","variants":["tree","list"],"eligibility":{"any":[{"plan":{"eq":"pro"}},{"region":{"in":"eu"}}]}}'),
      'eligibility.any[1].region.in',
      '"eu"',
      'an array of strings, numbers or booleans',
    );
  });

  it('runs a predicate function', () => {
    const predicate: EligibilityPredicate = (attributes) => attributes.plan === 'pro';
    expect(lets(predicate, { plan: 'pro' })).toBe(true);
    expect(lets(predicate, { plan: 'free' })).toBe(false);
  });

  it('turns a throwing predicate into reason "error" with the error attached, without throwing', () => {
    const failure = new Error('attribute service down');
    const experiment = experimentWith(() => {
      throw failure;
    });
    expect(assignVariant(experiment, 'user-1', { plan: 'pro' })).toEqual({
      experiment: 'skill_tree_layout',
      variant: 'tree',
      inExperiment: false,
      reason: 'error',
      bucket: -1,
      unit: 'user-1',
      error: failure,
    });
  });
});

describe('sticky assignments (assignSticky)', () => {
  const users = range(4_000, (i) => `user-${i}`);

  it('keeps units on their first variant when the weights change later (reason "sticky")', () => {
    const sticky = createMemoryStickyStore();
    const before = defineExperiment({ key: 'skill_tree_layout', variants: ['tree', 'list'], weights: [50, 50] });
    const first = new Map(users.map((u) => [u, assignSticky(before, u, undefined, sticky).variant]));
    expect(sticky.size).toBe(users.length);

    const after = defineExperiment({ key: 'skill_tree_layout', variants: ['tree', 'list'], weights: [90, 10] });
    let wouldHaveMoved = 0;
    for (const user of users) {
      expect(assignSticky(after, user, undefined, sticky)).toMatchObject({ variant: first.get(user), inExperiment: true, reason: 'sticky' });
      if (assignVariant(after, user).variant !== first.get(user)) wouldHaveMoved++;
    }
    // Without the store about 40% would have moved from list to tree: the store is what kept them.
    expect(wouldHaveMoved).toBeGreaterThan(users.length * 0.3);

    const newcomer = assignSticky(after, 'user-new', undefined, sticky);
    expect(newcomer.reason).toBe('bucketed');
    expect(sticky.get('user-new', 'skill_tree_layout')).toBe(newcomer.variant);
  });

  it('keeps recorded units in when traffic or the layer slice shrinks, but not past the kill switch, eligibility or holdout', () => {
    const sticky = createMemoryStickyStore([{ unit: 'user-1', experiment: 'skill_tree_layout', variant: 'list' }]);
    const base = { key: 'skill_tree_layout', variants: ['tree', 'list'] } as const;
    const outOfEverySlice = layerSlice({ name: 'home', range: [0, 0.0001] });
    expect(assignVariant(defineExperiment({ ...base, layer: outOfEverySlice }), 'user-1').reason).toBe('layer');
    expect(assignSticky(defineExperiment({ ...base, layer: outOfEverySlice }), 'user-1', undefined, sticky)).toMatchObject({ variant: 'list', reason: 'sticky' });
    expect(assignSticky(defineExperiment({ ...base, traffic: 0 }), 'user-1', undefined, sticky)).toMatchObject({ variant: 'list', reason: 'sticky' });
    expect(assignSticky(defineExperiment({ ...base, enabled: false }), 'user-1', undefined, sticky).reason).toBe('disabled');
    expect(
      assignSticky(defineExperiment({ ...base, eligibility: eligibilityRule({ region: { eq: 'eu' } }) }), 'user-1', { region: 'us' }, sticky).reason,
    ).toBe('ineligible');
    expect(assignSticky(defineExperiment({ ...base, holdout: defineHoldout({ key: 'all', percent: 100 }) }), 'user-1', undefined, sticky).reason).toBe(
      'holdout',
    );
  });

  it('does not record units it kept out', () => {
    const sticky = createMemoryStickyStore();
    assignSticky(defineExperiment({ key: 'skill_tree_layout', variants: ['tree', 'list'], traffic: 0 }), 'user-1', undefined, sticky);
    assignSticky(defineExperiment({ key: 'skill_tree_layout', variants: ['tree', 'list'], rollout: 0 }), 'user-1', undefined, sticky);
    expect(sticky.size).toBe(0);
  });

  it('ignores records for other experiments and records naming an unknown variant', () => {
    const experiment = defineExperiment({ key: 'skill_tree_layout', variants: ['tree', 'list'], rollout: 0.0001 });
    const sticky = createMemoryStickyStore([
      { unit: 'user-1', experiment: 'skill_tree_layout', variant: 'grid' },
      { unit: 'user-2', experiment: 'other_experiment', variant: 'list' },
    ]);
    expect(assignSticky(experiment, 'user-1', undefined, sticky)).toMatchObject({ variant: 'tree', reason: 'bucketed' });
    expect(sticky.get('user-1', 'skill_tree_layout')).toBe('tree'); // replaced by the real assignment
    expect(assignSticky(experiment, 'user-2', undefined, sticky)).toMatchObject({ variant: 'tree', reason: 'bucketed' });
  });

  it('never throws for a failing store: the unit is bucketed as without one, with `error` set', () => {
    const experiment = defineExperiment({ key: 'skill_tree_layout', variants: ['tree', 'list', 'grid'] });
    const { readFailure, writeFailure, failingGet, failingSet } = failingStickyStores('redis');
    for (const user of users.slice(0, 500)) {
      const plain = assignVariant(experiment, user);
      expect(assignSticky(experiment, user, undefined, failingGet)).toEqual({ ...plain, error: readFailure });
      expect(assignSticky(experiment, user, undefined, failingSet)).toEqual({ ...plain, error: writeFailure });
    }
  });
});

describe('missing unit', () => {
  const experiment = defineExperiment({
    key: 'skill_tree_layout',
    variants: ['tree', 'list'],
    rollout: 100,
    overrides: { '': 'list' },
  });

  it.each([
    ["''", ''],
    ['null', null],
    ['undefined', undefined],
    ['{}', {}],
    ["{ userId: '' }", { userId: '' }],
    ["{ tenantId: 'acme', userId: '' }", { tenantId: 'acme', userId: '' }],
    ['{ userId: NaN }', { userId: Number.NaN }],
  ])('%s gets control with reason "missing_unit"', (_name, unit) => {
    expect(assignVariant(experiment, unit as Unit | null | undefined)).toEqual({
      experiment: 'skill_tree_layout',
      variant: 'tree',
      inExperiment: false,
      reason: 'missing_unit',
      bucket: -1,
      unit: '',
    });
  });
});

describe('defineExperiment validation', () => {
  const base = { key: 'skill_tree_layout', variants: ['tree', 'list'] };
  const NAME_RULE = 'must match /^[a-z0-9][a-z0-9_.-]{0,63}$/';

  it('words the weights error as `weights[1] must be >= 0, got -5`', () => {
    expect(configError(() => defineUnchecked({ ...base, weights: [1, -5] })).message).toBe('weights[1] must be >= 0, got -5');
  });

  it.each([
    [{ key: 'Skill_Tree' }, 'key', '"Skill_Tree"', NAME_RULE],
    [{ key: '' }, 'key', '""', NAME_RULE],
    [{ key: '_skill' }, 'key', '"_skill"', NAME_RULE],
    [{ key: 'skill tree' }, 'key', '"skill tree"', NAME_RULE],
    [{ key: 'a'.repeat(65) }, 'key', `"${'a'.repeat(65)}"`, NAME_RULE],
    [{ key: 42 }, 'key', '42', NAME_RULE],
    [{ variants: ['tree'] }, 'variants', '["tree"]', 'at least 2'],
    [{ variants: 'tree,list' }, 'variants', '"tree,list"', 'at least 2'],
    [{ variants: ['tree', 'list', 'tree'] }, 'variants[2]', '"tree"', 'must be unique'],
    [{ variants: ['tree', ''] }, 'variants[1]', '""', 'non-empty string'],
    [{ variants: ['tree', 7] }, 'variants[1]', '7', 'non-empty string'],
    [{ weights: [1, -5] }, 'weights[1]', '-5', 'must be >= 0'],
    [{ weights: [1, Number.NaN] }, 'weights[1]', 'NaN', 'must be >= 0'],
    [{ weights: [Number.POSITIVE_INFINITY, 1] }, 'weights[0]', 'Infinity', 'must be >= 0'],
    [{ weights: ['1', 1] }, 'weights[0]', '"1"', 'must be >= 0'],
    [{ weights: [1, 1, 1] }, 'weights', '[1,1,1]', 'must be an array of 2 numbers, one per variant'],
    [{ weights: [0, 0] }, 'weights', '[0,0]', 'must not all be 0'],
    [{ weights: [1, 0], rollout: 10 }, 'weights', '[1,0]', 'must give a treatment a weight above 0 when rollout is 10'],
    [{ rollout: 150 }, 'rollout', '150', 'from 0 to 100'],
    [{ rollout: -1 }, 'rollout', '-1', 'from 0 to 100'],
    [{ rollout: Number.NaN }, 'rollout', 'NaN', 'from 0 to 100'],
    [{ rollout: '10' }, 'rollout', '"10"', 'from 0 to 100'],
    [{ rollout: 12.34567 }, 'rollout', '12.34567', 'at most 4 decimals'],
    [{ traffic: 101 }, 'traffic', '101', 'from 0 to 100'],
    [{ traffic: -0.5 }, 'traffic', '-0.5', 'from 0 to 100'],
    [{ traffic: '50' }, 'traffic', '"50"', 'from 0 to 100'],
    [{ traffic: 33.33333 }, 'traffic', '33.33333', 'at most 4 decimals'],
    [{ salt: '' }, 'salt', '""', 'non-empty string'],
    [{ salt: 5 }, 'salt', '5', 'non-empty string'],
    [{ trafficSalt: '' }, 'trafficSalt', '""', 'non-empty string'],
    [{ enabled: 'yes' }, 'enabled', '"yes"', 'true or false'],
    [{ overrides: 'qa-1' }, 'overrides', '"qa-1"', 'an object of unit to variant'],
    [{ holdout: { key: 'global', percent: 5 } }, 'holdout', 'an object', 'defineHoldout()'],
    [{ holdout: null }, 'holdout', 'null', 'defineHoldout()'],
    [{ holdout: 'global' }, 'holdout', '"global"', 'defineHoldout()'],
    [{ layer: { name: 'home', range: [0, 50] } }, 'layer', 'an object', 'layerSlice()'],
    [{ layer: null }, 'layer', 'null', 'layerSlice()'],
    [{ version: '' }, 'version', '""', 'non-empty string'],
  ])('refuses %j, naming %s', (patch, field, got, rule) => {
    expectConfigError(() => defineUnchecked({ ...base, ...patch }), field, got, rule);
  });

  it.each([
    [null, 'holdout', 'null', '{ key, percent }'],
    ['global', 'holdout', '"global"', '{ key, percent }'],
    [{ key: 'Global', percent: 5 }, 'holdout.key', '"Global"', NAME_RULE],
    [{ key: 'global', percent: 101 }, 'holdout.percent', '101', 'from 0 to 100'],
    [{ key: 'global', percent: 2.000001 }, 'holdout.percent', '2.000001', 'at most 4 decimals'],
    [{ key: 'global' }, 'holdout.percent', 'undefined', 'from 0 to 100'],
  ])('defineHoldout refuses %j, naming %s', (config, field, got, rule) => {
    expectConfigError(() => defineHoldout(config as unknown as Parameters<typeof defineHoldout>[0]), field, got, rule);
  });

  it.each([
    ['home', 'layer', '"home"', '{ name, range: [from, to] }'],
    [{ name: 'Home', range: [0, 50] }, 'layer.name', '"Home"', NAME_RULE],
    [{ name: 'home', range: [0] }, 'layer.range', '[0]', '[from, to]'],
    [{ name: 'home' }, 'layer.range', 'undefined', '[from, to]'],
    [{ name: 'home', range: [60, 30] }, 'layer.range', '[60,30]', 'from < to'],
    [{ name: 'home', range: [10, 10] }, 'layer.range', '[10,10]', 'from < to'],
    [{ name: 'home', range: [-1, 50] }, 'layer.range[0]', '-1', 'from 0 to 100'],
    [{ name: 'home', range: [0, 101] }, 'layer.range[1]', '101', 'from 0 to 100'],
  ])('layerSlice refuses %j, naming %s', (config, field, got, rule) => {
    expectConfigError(() => layerSlice(config as unknown as Parameters<typeof layerSlice>[0]), field, got, rule);
  });

  it('refuses a config that is not an object', () => {
    expectConfigError(() => defineUnchecked(null), 'config', 'null', 'an object');
    expectConfigError(() => defineUnchecked('skill_tree_layout'), 'config', '"skill_tree_layout"', 'an object');
  });

  it('accepts edge values: a 64-character key, weights with zeros, rollout and traffic at 0 and 100', () => {
    expect(defineExperiment({ key: 'a'.repeat(64), variants: ['a', 'b'] }).key).toHaveLength(64);
    expect(defineExperiment({ ...base, weights: [0, 1] }).rollout).toBe(100);
    expect(defineExperiment({ ...base, weights: [1, 0] }).rollout).toBe(0);
    expect(defineExperiment({ ...base, weights: [90, 10] }).rollout).toBe(10);
    expect(defineExperiment({ ...base, rollout: 0, traffic: 0 }).traffic).toBe(0);
    expect(defineExperiment({ ...base, rollout: 100, traffic: 100 }).rollout).toBe(100);
  });

  it('says whether the kill switch is off: live only when enabled with a rollout above 0', () => {
    const config = { key: 'skill_tree_layout', variants: ['tree', 'list'] } as const;
    expect(defineExperiment({ ...config, rollout: 10 }).live).toBe(true);
    expect(defineExperiment({ ...config, rollout: 0.0001 }).live).toBe(true);
    expect(defineExperiment({ ...config, rollout: 0 }).live).toBe(false);
    expect(defineExperiment({ ...config, rollout: 10, enabled: false }).live).toBe(false);
    expect(defineExperiment({ ...config, weights: [1, 0] }).live).toBe(false); // no treatment weight: rollout 0
  });

  it('derives a version that is stable for the same config and changes with it', () => {
    const config = () => ({
      key: 'skill_tree_layout',
      variants: ['tree', 'list'],
      rollout: 10,
      eligibility: eligibilityRule({ region: { in: ['eu'] } }),
      holdout: defineHoldout({ key: 'global', percent: 5 }),
      overrides: { 'qa-1': 'list' },
    });
    const version = defineExperiment(config()).version;
    expect(defineExperiment(config()).version).toBe(version);
    const changes = [
      { rollout: 20 },
      { variants: ['tree', 'grid'], overrides: { 'qa-1': 'grid' } },
      { eligibility: eligibilityRule({ region: { in: ['uk'] } }) },
      { holdout: defineHoldout({ key: 'global', percent: 10 }) },
      { overrides: { 'qa-2': 'list' } },
      { traffic: 50 },
      { salt: 'reshuffle-1' },
      { enabled: false },
    ];
    for (const change of changes) expect(defineUnchecked({ ...config(), ...change }).version).not.toBe(version);
    expect(defineExperiment({ ...config(), version: 'v7' }).version).toBe('v7');
  });

  it('derives versions of exactly 8 hex digits', () => {
    fc.assert(
      fc.property(gridPercent, gridPercent, fc.constantFrom('skill_tree_layout', 'checkout.v2', 'a'), (rollout, traffic, key) => {
        expect(defineExperiment({ key, variants: ['tree', 'list'], rollout, traffic }).version).toMatch(/^[0-9a-f]{8}$/);
      }),
      { seed: 3301, numRuns: 300 },
    );
  });
});

describe('defined experiments are immutable', () => {
  it('are frozen and keep their own copies of variants and weights', () => {
    const variants = ['tree', 'list'];
    const weights = [90, 10];
    const experiment = defineExperiment({ key: 'frozen_check', variants, weights });
    const before = Array.from({ length: 200 }, (_, i) => assignVariant(experiment, `user-${i}`).variant);
    variants[1] = 'tampered';
    weights[1] = 90;
    expect(Object.isFrozen(experiment)).toBe(true);
    expect(experiment.variants).toEqual(['tree', 'list']);
    expect(Array.from({ length: 200 }, (_, i) => assignVariant(experiment, `user-${i}`).variant)).toEqual(before);
  });
});
