#!/usr/bin/env python3
"""Writes spec/vectors.json from the Python reference implementation (spec/reference.py).

    python3 spec/generate_vectors.py

The output is deterministic: the only randomness is random.Random with fixed seeds, and the
file is written in a fixed order as ASCII-only JSON (non-ASCII text, lone
surrogates included, appears as \\u escapes, so every reader sees the same UTF-16 strings).
"""

from __future__ import annotations

import itertools
import json
import math
import random
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
import reference as ref  # noqa: E402

OUT = Path(__file__).resolve().parent / 'vectors.json'


ABSENT: Any = object()  # no `attributes` in the case (None writes an explicit null)


class Vectors:
    def __init__(self) -> None:
        self.cases: list[dict[str, Any]] = []
        self.names: set[str] = set()

    def case(self, name: str, experiment: dict[str, Any], unit: Any, attributes: Any = ABSENT,
             override: str | None = None, sticky: list[dict[str, str]] | None = None) -> dict[str, Any]:
        """One assignment case. `override`: the caller forces this variant for the call (§7 step 3).
        `sticky`: the sticky store's records before the call (§8); the case then also expects the
        records after it, in `expected.records`, ordered by experiment, then unit."""
        if name in self.names:
            raise ValueError(f'duplicate case name {name!r}')
        self.names.add(name)
        store = None if sticky is None else ref.StickyStore(sticky)
        outcome = ref.assign(ref.define_experiment(experiment), unit, None if attributes is ABSENT else attributes, override, store)
        entry: dict[str, Any] = {'name': name, 'experiment': experiment, 'unit': unit}
        if attributes is not ABSENT:
            entry['attributes'] = attributes
        if override is not None:
            entry['override'] = override
        if store is not None:
            entry['sticky'] = sticky
            outcome = {**outcome, 'records': store.records()}
        entry['expected'] = outcome
        self.cases.append(entry)
        return outcome


def percent(buckets: int) -> float | int:
    """A bucket count as the percent that names it exactly (4 decimals at most)."""
    value = buckets / 10000
    assert ref.percent_to_buckets('percent', value) == buckets
    return int(value) if value == int(value) else value


def bucket_for(seed: int, unit: Any) -> int:
    _, encoded = ref.prepare_unit(unit)
    return ref.bucket_of(ref.xxh32(encoded, seed))


def uuid_like(rng: random.Random) -> str:
    n = rng.getrandbits(128)
    n = (n & ~(0xF000 << 64)) | (0x4000 << 64)  # version 4
    n = (n & ~(0xC000 << 48)) | (0x8000 << 48)  # RFC 4122 variant
    h = f'{n:032x}'
    return f'{h[0:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:32]}'


ASCII_EMAILS = [
    'alice@example.com', 'bob.smith+newsletter@example.co.uk', 'carol_o-neil@sub.example.org',
    'dave@localhost', 'EVE@EXAMPLE.COM', 'frank.123@example.io', 'grace@xn--bcher-kva.example',
    'heidi+a+b+c@example.net', 'ivan@example.com ', 'judy@e.x',
    'mallory.very.long.local.part.for.the.stripe.loop@example.com', 'oscar@example.travel',
]

NUMERIC_STRINGS = ['0', '1', '42', '007', '-1', '3.14', '1e3', '4294967296', '9007199254740993', '12345678901234567890']

NON_ASCII = [
    ('accents', 'José'), ('accents-2', 'Zoë Müller'), ('accents-3', 'naïve café'), ('cedilla', 'François'),
    ('greek', 'Αλέξανδρος'), ('cyrillic', 'пользователь-7'), ('hebrew', 'משתמש'), ('arabic', 'مستخدم-٤٢'),
    ('cjk', '用户-42'), ('cjk-2', '张伟'), ('kana', 'ユーザー'), ('hangul', '사용자'),
    ('emoji', '🎉'), ('emoji-prefix', '🎉user-1'), ('emoji-zwj', '👩\u200d💻'), ('flag', '🇫🇷'),
    ('combining', 'e\u0301'), ('precomposed', 'é'), ('nbsp', 'user\u00a042'), ('bom', '\ufeffuser'),
    ('max-bmp', '\uffff'), ('max-code-point', '\U0010ffff'),
    ('mixed-long', 'ünïcödé-ユーザー-🎉-0123456789'), ('two-byte-run', 'ü' * 17),
    ('three-byte-run', '語' * 11), ('four-byte-run', '😀' * 5),
    # Lone and mis-ordered surrogates: hashed as U+FFFD in their place.
    ('lone-high', '\ud800'), ('lone-low', '\udc00'), ('lone-high-inside', 'a\ud83db'),
    ('lone-low-inside', 'a\ude00b'), ('lone-high-at-end', 'user-\udbff'), ('reversed-pair', '\ude00\ud83d'),
    ('lone-then-pair', '\ud800\ud83d\ude00'), ('replacement-char', '\ufffd'),
    # Where UTF-8 changes length, and the code points on either side of the surrogates.
    ('utf8-1-byte-max', 'u\u007f'), ('utf8-2-byte-min', 'u\u0080'), ('utf8-2-byte-max', 'u\u07ff'),
    ('utf8-3-byte-min', 'u\u0800'), ('below-surrogates', 'u\ud7ff'), ('above-surrogates', 'u\ue000'),
    ('utf8-4-byte-min', 'u\U00010000'),
]

# Code points where UTF-8 changes length (1 → 2 → 3 → 4 bytes) or meets the surrogate range.
UTF8_BOUNDARIES = ['\u007f', '\u0080', '\u07ff', '\u0800', '\ud7ff', '\ue000', '\uffff', '\U00010000', '\U0010ffff']


def hash_inputs() -> list[str]:
    alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJKLMNOP'
    inputs = [alphabet[:n] for n in range(0, 41)]  # every tail length, one to two stripes
    inputs += ['user-42', 'skill_tree_layout', 'José', '用户-42', '🎉', 'a\ud83db', '\ud800', 'ü' * 17, '😀' * 5]
    inputs += UTF8_BOUNDARIES + ['a' + c + 'b' for c in UTF8_BOUNDARIES] + [''.join(UTF8_BOUNDARIES) * 2]
    return inputs


def build() -> dict[str, Any]:
    v = Vectors()
    rng = random.Random(20261121)

    # --- Plain string ids -------------------------------------------------------------------
    ab = {'key': 'skill_tree_layout', 'variants': ['tree', 'list'], 'rollout': 10}
    ab_half = {'key': 'skill_tree_layout', 'variants': ['tree', 'list'], 'rollout': 50}
    abc = {'key': 'checkout_flow', 'variants': ['control', 'one_page', 'express'], 'weights': [2, 1, 1]}
    abcd = {'key': 'hero_copy', 'variants': ['a', 'b', 'c', 'd']}
    for i in range(40):
        v.case(f'ascii/sequential/user-{i}', ab if i < 20 else ab_half, f'user-{i}')
    for i in range(20):
        v.case(f'ascii/uuid/{i}', abc, uuid_like(rng))
    for i, email in enumerate(ASCII_EMAILS):
        v.case(f'ascii/email/{i}', abcd, email)
    for s in NUMERIC_STRINGS:
        v.case(f'ascii/numeric-string/{s}', ab_half, s)
    for length in (15, 16, 17, 31, 32, 33, 64):
        v.case(f'ascii/length-{length}', abcd, ('0123456789abcdef' * 5)[:length])

    # --- Non-ASCII ids ----------------------------------------------------------------------
    for name, s in NON_ASCII:
        v.case(f'unicode/{name}', ab_half, s)
        v.case(f'unicode/{name}/abcd', abcd, s)
    # A lone surrogate hashes exactly like U+FFFD in its place (same buckets), though its key differs.
    lone = v.case('unicode/lone-equivalence/a\\ud800b', abc, 'a\ud800b')
    fffd = v.case('unicode/lone-equivalence/a\\ufffdb', abc, 'a\ufffdb')
    assert (lone['variant'], lone['bucket']) == (fffd['variant'], fffd['bucket'])

    # --- Compound units ---------------------------------------------------------------------
    compound_exp = {'key': 'tenant_pricing', 'variants': ['current', 'tiered', 'flat'], 'rollout': 60}
    tenants = ['acme', 'globex', 'initech', 'umbrella', 'stark', 'wayne']
    for i, tenant in enumerate(tenants):
        for user in ('1', '42', 'u-9000'):
            v.case(f'compound/tenant-user/{tenant}/{user}', compound_exp, {'tenantId': tenant, 'userId': user})
    # Field order must not matter.
    fields = [('tenantId', 'acme'), ('userId', '42'), ('region', 'eu')]
    results = set()
    for perm in itertools.permutations(fields):
        outcome = v.case('compound/permutation/' + ','.join(n for n, _ in perm), compound_exp, dict(perm))
        results.add(json.dumps(outcome, sort_keys=True))
    assert len(results) == 1
    # Numbers hash as their decimal text: 42 and "42" are the same unit.
    number_forms = [
        ('int', 42, '42'), ('negative', -5, '-5'), ('zero', 0, '0'), ('negative-zero', -0.0, '0'),
        ('fraction', 1.5, '1.5'), ('point-three', 0.1 + 0.2, '0.30000000000000004'),
        ('tiny', 1e-7, '1e-7'), ('small', 0.000001, '0.000001'), ('e21', 1e21, '1e+21'),
        ('e20', 1e20, '100000000000000000000'), ('big-int', 12345678901234567890, '12345678901234567000'),
        ('float-whole', 100.0, '100'), ('huge', 1.7976931348623157e308, '1.7976931348623157e+308'),
        ('denormal', 5e-324, '5e-324'),
        # Two shortest strings equally near the double (…632.25, …632.75): the even last digit.
        ('tie-to-even-down', 640601807090632.25, '640601807090632.2'),
        ('tie-to-even-up', 640601807090632.75, '640601807090632.8'),
    ]
    for label, number, text in number_forms:
        assert ref.js_number_text(number) == text, (label, ref.js_number_text(number))
        as_number = v.case(f'compound/number/{label}', compound_exp, {'tenantId': 'acme', 'seat': number})
        as_text = v.case(f'compound/number/{label}/as-string', compound_exp, {'tenantId': 'acme', 'seat': text})
        assert as_number == as_text
    # Names sorted by UTF-16 code units: U+FFFF sorts after U+1F600 (a surrogate pair, 0xD83D...).
    v.case('compound/utf16-order/bmp-vs-astral', compound_exp, {'\uffff': 'x', '😀': 'y'})
    v.case('compound/utf16-order/astral-vs-bmp', compound_exp, {'😀': 'y', '\uffff': 'x'})
    v.case('compound/utf16-order/upper-before-lower', compound_exp, {'b': '1', 'B': '2', 'a': '3'})
    v.case('compound/integer-like-names', compound_exp, {'9': 'b', '10': 'a', 'x': 'c'})
    v.case('compound/empty-name', compound_exp, {'': 'x'})
    v.case('compound/single-field', compound_exp, {'userId': '42'})
    v.case('compound/json-escapes-in-key', compound_exp, {'na"me': 'line\nbreak\t\\', 'ctl': '\u0001\u001f'})
    v.case('compound/non-ascii', compound_exp, {'tenantId': 'société', 'userId': '用户-42'})
    v.case('compound/lone-surrogate-value', compound_exp, {'tenantId': 'acme', 'userId': 'a\ud800'})
    v.case('compound/lone-surrogate-name', compound_exp, {'\udc00': 'acme'})
    v.case('compound/long', compound_exp, {f'field{i}': f'value-{i}' * 3 for i in range(8)})
    v.case('compound/looks-like-string-unit', compound_exp, {'userId': 'user-42'})

    # --- Missing units ----------------------------------------------------------------------
    missing = [
        ('empty-string', ''), ('null', None), ('empty-object', {}), ('empty-field', {'userId': ''}),
        ('boolean-field', {'userId': True}), ('null-field', {'userId': None}),
        ('nested-field', {'userId': {'id': '1'}}), ('one-empty-of-two', {'tenantId': 'acme', 'userId': ''}),
        ('array-field', {'userId': ['1']}),
        # An array is no map (§3.1), whatever it holds.
        ('array', ['a']), ('array-of-two', ['tenant', 'user']), ('empty-array', []), ('array-of-map', [{'userId': '1'}]),
    ]
    for label, unit in missing:
        outcome = v.case(f'missing/{label}', abc, unit)
        assert outcome['reason'] == 'missing_unit'
    v.case('missing/before-override', {**ab, 'overrides': {'': 'list'}}, '')
    v.case('missing/before-disabled', {**ab, 'enabled': False}, None)

    # --- Rollout boundaries -----------------------------------------------------------------
    boundary_units = [f'user-{i}' for i in range(8)] + ['José', {'tenantId': 'acme', 'userId': '7'}]
    for rollout in (0, 0.01, 0.0001, 99.99, 99.9999, 100):
        for j, unit in enumerate(boundary_units):
            v.case(f'rollout/{rollout}/{j}', {'key': 'skill_tree_layout', 'variants': ['tree', 'list'], 'rollout': rollout}, unit)
    # Exactly at the threshold: bucket b is control when rollout is b, treatment when b + 0.0001.
    for j, unit in enumerate(boundary_units[:6]):
        base = {'key': 'search_ranking', 'variants': ['bm25', 'learned']}
        b = bucket_for(ref.define_experiment(base).rollout_seed, unit)
        below = v.case(f'rollout/exact/{j}/at-bucket', {**base, 'rollout': percent(b)}, unit)
        above = v.case(f'rollout/exact/{j}/one-above', {**base, 'rollout': percent(b + 1)}, unit)
        assert below['variant'] == 'bm25' and above['variant'] == 'learned' and below['bucket'] == b

    # --- Traffic ----------------------------------------------------------------------------
    for traffic in (0, 0.01, 25, 50, 99.99, 100):
        for j, unit in enumerate(boundary_units[:6]):
            v.case(f'traffic/{traffic}/{j}', {'key': 'onboarding_tour', 'variants': ['off', 'on'], 'traffic': traffic, 'rollout': 50}, unit)
    for j, unit in enumerate(boundary_units[:5]):
        base = {'key': 'onboarding_tour', 'variants': ['off', 'on'], 'rollout': 100}
        t = bucket_for(ref.define_experiment(base).traffic_seed, unit)
        out = v.case(f'traffic/exact/{j}/at-bucket', {**base, 'traffic': percent(t)}, unit)
        inside = v.case(f'traffic/exact/{j}/one-above', {**base, 'traffic': percent(t + 1)}, unit)
        assert out['reason'] == 'traffic' and out['bucket'] == t and inside['reason'] == 'bucketed'
    # A shared traffic salt takes in the same units whatever the experiment's own salt.
    for j in range(6):
        unit = f'member-{j}'
        one = v.case(f'traffic/shared-salt/{j}/first', {'key': 'nav_labels', 'variants': ['a', 'b'], 'traffic': 30, 'trafficSalt': 'q3-cohort'}, unit)
        two = v.case(f'traffic/shared-salt/{j}/second', {'key': 'nav_icons', 'variants': ['a', 'b'], 'traffic': 30, 'trafficSalt': 'q3-cohort'}, unit)
        assert (one['reason'] == 'traffic') == (two['reason'] == 'traffic')

    # --- Weights ----------------------------------------------------------------------------
    weight_sets = [
        ('ab-default', ['a', 'b'], None, None),
        ('ab-90-10', ['a', 'b'], [90, 10], None),
        ('abc-equal', ['a', 'b', 'c'], None, None),
        ('abcd-equal', ['a', 'b', 'c', 'd'], None, None),
        ('abcde-1-2-3-4-5', ['a', 'b', 'c', 'd', 'e'], [1, 2, 3, 4, 5], None),
        ('control-zero', ['a', 'b', 'c'], [0, 1, 1], None),
        ('middle-zero', ['a', 'b', 'c', 'd'], [1, 1, 0, 1], None),
        ('first-treatment-zero', ['a', 'b', 'c'], [1, 0, 1], None),
        ('last-zero', ['a', 'b', 'c'], [1, 1, 0], None),
        ('fractional', ['a', 'b', 'c', 'd'], [0.1, 0.2, 0.3, 0.4], None),
        ('thirds', ['a', 'b', 'c', 'd'], [0, 1, 1, 1], None),
        ('rollout-with-weights', ['a', 'b', 'c'], [5, 1, 3], 40),
        ('rollout-ignores-control-weight', ['a', 'b', 'c'], [0, 1, 3], 40),
        ('rollout-100-abc', ['a', 'b', 'c'], [1, 1, 1], 100),
        ('rollout-tiny-treatment', ['a', 'b', 'c'], [1, 999, 1], 100),
    ]
    for label, variants, weights, rollout in weight_sets:
        config: dict[str, Any] = {'key': 'weights_demo', 'variants': variants}
        if weights is not None:
            config['weights'] = weights
        if rollout is not None:
            config['rollout'] = rollout
        for j in range(6):
            v.case(f'weights/{label}/{j}', config, f'visitor-{j * 7919}')
    # Round half up, not half to even: 1 / 2,000,000 of a million buckets is 0.5 bucket → 1.
    tie = {'key': 'weights_demo', 'variants': ['a', 'b'], 'weights': [1999999, 1]}
    assert ref.define_experiment(tie).rollout_threshold == 1
    for j in range(3):
        v.case(f'weights/half-bucket-rounds-up/{j}', tie, f'visitor-{j}')
    # Treatment bounds pinned exactly: weights put a bound on the unit's variant bucket p (that
    # treatment's range ends just below the unit) or one above it (the unit is inside).
    for j, unit in enumerate([f'visitor-{n}' for n in range(6)] + ['José', {'tenantId': 'acme', 'userId': '3'}]):
        base = {'key': 'bounds_demo', 'variants': ['a', 'b', 'c', 'd'], 'rollout': 100}
        p = bucket_for(ref.define_experiment({**base, 'weights': [1, 1, 1, 1]}).variant_seed, unit)
        assert 2 <= p <= 999_997
        half = p // 2
        below = {**base, 'weights': [1, half, p - half, 1_000_000 - p]}
        above = {**base, 'weights': [1, half, p + 1 - half, 1_000_000 - p - 1]}
        assert ref.define_experiment(below).treatment_bounds[:2] == [half, p]
        assert ref.define_experiment(above).treatment_bounds[:2] == [half, p + 1]
        assert v.case(f'weights/exact-bound/{j}/bound-at-bucket', below, unit)['variant'] == 'd'
        assert v.case(f'weights/exact-bound/{j}/bound-one-above', above, unit)['variant'] == 'c'
        # The same split in fractions: the double arithmetic of §5.2 decides the bound.
        fraction = p / 1_000_000
        v.case(f'weights/exact-bound/{j}/fractions', {**base, 'weights': [0, fraction, 1 - fraction, 0]}, unit)
        v.case(f'weights/exact-bound/{j}/fractions-scaled', {**base, 'weights': [0.5, fraction * 3, (1 - fraction) * 3, 1e-9]}, unit)
    # Zero-weight arms never receive units (checked over the cases just written).
    for c in v.cases:
        if c['name'].startswith('weights/middle-zero/'):
            assert c['expected']['variant'] != 'c'

    # --- Layers -----------------------------------------------------------------------------
    layered = [
        {'key': 'home_hero_copy', 'variants': ['old', 'new'], 'layer': {'name': 'home', 'range': [0, 50]}},
        {'key': 'home_hero_image', 'variants': ['old', 'new'], 'layer': {'name': 'home', 'range': [50, 100]}},
        {'key': 'home_footer', 'variants': ['old', 'new'], 'layer': {'name': 'home', 'range': [12.5, 12.5001]}},
    ]
    for j in range(10):
        unit = f'shopper-{j}'
        reasons = [v.case(f'layer/{exp["key"]}/{j}', exp, unit)['reason'] for exp in layered[:2]]
        assert reasons.count('layer') == 1  # in exactly one half of the layer
        v.case(f'layer/{layered[2]["key"]}/{j}', layered[2], unit)
    for j, unit in enumerate(boundary_units[:5]):
        base = {'key': 'home_search', 'variants': ['old', 'new'], 'rollout': 100}
        l = bucket_for(ref.define_experiment({**base, 'layer': {'name': 'search', 'range': [0, 100]}}).layer_seed, unit)
        assert 0 < l < 999_999
        cfg = lambda lo, hi: {**base, 'layer': {'name': 'search', 'range': [percent(lo), percent(hi)]}}
        assert v.case(f'layer/exact/{j}/from-equals-bucket', cfg(l, 1_000_000), unit)['reason'] == 'bucketed'
        assert v.case(f'layer/exact/{j}/from-above-bucket', cfg(l + 1, 1_000_000), unit)['reason'] == 'layer'
        assert v.case(f'layer/exact/{j}/to-equals-bucket', cfg(0, l), unit)['reason'] == 'layer'
        assert v.case(f'layer/exact/{j}/to-above-bucket', cfg(0, l + 1), unit)['reason'] == 'bucketed'
    v.case('layer/with-traffic', {'key': 'home_banner', 'variants': ['a', 'b'], 'traffic': 50, 'layer': {'name': 'home', 'range': [0, 70]}}, 'shopper-3')

    # --- Holdouts ---------------------------------------------------------------------------
    for j in range(12):
        unit = f'account-{j}'
        a = v.case(f'holdout/10/{j}/first', {'key': 'pricing_page', 'variants': ['a', 'b'], 'holdout': {'key': 'global-2026', 'percent': 10}}, unit)
        b = v.case(f'holdout/10/{j}/second', {'key': 'signup_copy', 'variants': ['a', 'b', 'c'], 'holdout': {'key': 'global-2026', 'percent': 10}}, unit)
        assert (a['reason'] == 'holdout') == (b['reason'] == 'holdout')  # one holdout group for both
    for pct in (0, 0.0001, 100):
        for j in range(3):
            v.case(f'holdout/{pct}/{j}', {'key': 'pricing_page', 'variants': ['a', 'b'], 'holdout': {'key': 'global-2026', 'percent': pct}}, f'account-{j}')
    for j, unit in enumerate(boundary_units[:4]):
        base = {'key': 'pricing_page', 'variants': ['a', 'b']}
        h = bucket_for(ref.seed_for('q4-holdout', 'holdout'), unit)
        assert v.case(f'holdout/exact/{j}/at-bucket', {**base, 'holdout': {'key': 'q4-holdout', 'percent': percent(h)}}, unit)['reason'] != 'holdout'
        assert v.case(f'holdout/exact/{j}/one-above', {**base, 'holdout': {'key': 'q4-holdout', 'percent': percent(h + 1)}}, unit)['reason'] == 'holdout'
    everything = {
        'key': 'pricing_page', 'variants': ['a', 'b', 'c'], 'weights': [1, 1, 2], 'traffic': 80,
        'holdout': {'key': 'global-2026', 'percent': 20}, 'layer': {'name': 'pricing', 'range': [10, 90]},
    }
    for j in range(10):
        v.case(f'holdout/with-layer-and-traffic/{j}', everything, {'accountId': f'acct-{j}'})

    # --- Overrides, kill switch, salts ------------------------------------------------------
    overridden = {**ab, 'overrides': {'qa-1': 'list', 'qa-2': 'tree', '{"tenantId":"acme","userId":"42"}': 'list', '{"10":"a","9":"b"}': 'list'}}
    v.case('override/to-treatment', overridden, 'qa-1')
    v.case('override/to-control', overridden, 'qa-2')
    v.case('override/not-listed', overridden, 'qa-3')
    v.case('override/compound', overridden, {'userId': '42', 'tenantId': 'acme'})
    v.case('override/compound-number', overridden, {'userId': 42, 'tenantId': 'acme'})
    v.case('override/compound-integer-like-names', overridden, {'9': 'b', '10': 'a'})
    v.case('override/compound-no-match', overridden, {'userId': '43', 'tenantId': 'acme'})
    v.case('override/string-that-spells-a-compound-key', overridden, '{"tenantId":"acme","userId":"42"}')
    v.case('override/unicode-key', {**ab, 'overrides': {'用户-42': 'list', 'a\ud800': 'list'}}, '用户-42')
    v.case('override/lone-surrogate-key', {**ab, 'overrides': {'用户-42': 'list', 'a\ud800': 'list'}}, 'a\ud800')
    v.case('override/lone-surrogate-is-not-fffd', {**ab, 'overrides': {'a\ud800': 'list'}}, 'a\ufffd')
    for j in range(4):
        v.case(f'disabled/enabled-false/{j}', {**ab, 'enabled': False}, f'user-{j}')
        v.case(f'disabled/rollout-0/{j}', {**ab, 'rollout': 0}, f'user-{j}')
    v.case('disabled/treatment-weights-zero', {'key': 'skill_tree_layout', 'variants': ['tree', 'list'], 'weights': [1, 0]}, 'user-1')
    # "Live" compares bucket counts (§5.2): a rollout that rounds to 0 buckets is the kill switch.
    for label, rollout in (('1e-11', 1e-11), ('1e-10', 1e-10)):
        tiny = {'key': 'skill_tree_layout', 'variants': ['tree', 'list'], 'rollout': rollout}
        assert v.case(f'disabled/rollout-{label}-is-0-buckets', tiny, 'user-1')['reason'] == 'disabled'
        assert v.case(f'disabled/rollout-{label}-without-treatment-weight', {**tiny, 'weights': [1, 0]}, 'user-1')['reason'] == 'disabled'
    v.case('disabled/before-holdout', {**ab, 'enabled': False, 'holdout': {'key': 'everyone', 'percent': 100}}, 'user-1')
    v.case('disabled/before-eligibility', {**ab, 'rollout': 0, 'eligibility': {'plan': {'eq': 'pro'}}}, 'user-1', {'plan': 'free'})
    for j in range(5):
        unit = f'user-{j}'
        v.case(f'salt/default-is-key/{j}', {'key': 'skill_tree_layout', 'variants': ['tree', 'list', 'grid']}, unit)
        v.case(f'salt/explicit-key-as-salt/{j}', {'key': 'skill_tree_layout_v2', 'salt': 'skill_tree_layout', 'variants': ['tree', 'list', 'grid']}, unit)
        v.case(f'salt/reshuffled/{j}', {'key': 'skill_tree_layout', 'salt': 'skill_tree_layout#2', 'variants': ['tree', 'list', 'grid']}, unit)
        v.case(f'salt/unicode/{j}', {'key': 'skill_tree_layout', 'salt': 'sél-🎉', 'variants': ['tree', 'list', 'grid']}, unit)

    # --- Eligibility (JSON rules) -----------------------------------------------------------
    rule = {'all': [{'region': {'in': ['eu', 'uk']}}, {'not': {'tenantId': {'in': ['internal']}}}]}
    eligible_exp = {'key': 'eu_checkout', 'variants': ['old', 'new'], 'eligibility': rule}
    attribute_sets = [
        ('eu', {'region': 'eu', 'tenantId': 'acme'}), ('uk', {'region': 'uk'}), ('us', {'region': 'us'}),
        ('internal', {'region': 'eu', 'tenantId': 'internal'}), ('none', ABSENT), ('null', None), ('empty', {}),
        ('region-array', {'region': ['us', 'eu']}), ('region-null', {'region': None}),
        # Objects, and arrays inside arrays, equal no rule value (§6).
        ('region-object', {'region': {'eu': True}}), ('region-nested-array', {'region': [['eu']]}),
        ('region-array-with-object', {'region': [{'region': 'eu'}, 'uk']}),
    ]
    for label, attributes in attribute_sets:
        v.case(f'eligibility/region/{label}', eligible_exp, 'user-1', attributes)
    numeric = {'key': 'power_users', 'variants': ['off', 'on'], 'rollout': 100, 'eligibility': {'sessions': {'gte': 10, 'lt': 100}, 'beta': {'ne': False}}}
    for label, attributes in [('9', {'sessions': 9}), ('10', {'sessions': 10}), ('99.5', {'sessions': 99.5}), ('100', {'sessions': 100}),
                              ('string-10', {'sessions': '10'}), ('beta-false', {'sessions': 50, 'beta': False}), ('beta-0', {'sessions': 50, 'beta': 0})]:
        v.case(f'eligibility/numeric/{label}', numeric, 'user-2', attributes)
    types = {'key': 'power_users', 'variants': ['off', 'on'], 'rollout': 100, 'eligibility': {'any': [{'tier': {'eq': 1}}, {'flag': {'eq': True}}, {'email': {'exists': True}}]}}
    for label, attributes in [('tier-1', {'tier': 1}), ('tier-1.0', {'tier': 1.0}), ('tier-string', {'tier': '1'}), ('tier-true', {'tier': True}),
                              ('flag-true', {'flag': True}), ('flag-1', {'flag': 1}), ('email-null', {'email': None}), ('email-empty', {'email': ''}),
                              ('nothing', {})]:
        v.case(f'eligibility/types/{label}', types, 'user-3', attributes)
    not_in = {'key': 'power_users', 'variants': ['off', 'on'], 'rollout': 100, 'eligibility': {'roles': {'notIn': ['staff', 'bot']}}}
    for label, attributes in [('missing', {}), ('customer', {'roles': ['customer']}), ('staff', {'roles': ['customer', 'staff']}), ('empty-array', {'roles': []}),
                              ('null-attributes', None), ('object', {'roles': {'staff': True}}), ('nested-array', {'roles': [['staff']]})]:
        v.case(f'eligibility/not-in/{label}', not_in, 'user-4', attributes)
    # Objects: `ne` holds (not `eq`), `exists` holds (present, not null), a comparison does not.
    for label, condition, holds in [('eq', {'eq': 'x'}, False), ('ne', {'ne': 'x'}, True), ('exists', {'exists': True}, True), ('gte', {'gte': 0}, False)]:
        out = v.case(f'eligibility/object-value/{label}', {**not_in, 'eligibility': {'profile': condition}}, 'user-4', {'profile': {'x': 1}})
        assert (out['reason'] == 'bucketed') == holds
    # Comparisons take numbers only: no value is coerced, though each of these would pass as a number.
    comparisons = {'gt': -1, 'gte': 0, 'lt': 21, 'lte': 20}
    for op, operand in comparisons.items():
        rule_exp = {**not_in, 'eligibility': {'age': {op: operand}}}
        assert v.case(f'eligibility/no-coercion/{op}/number', rule_exp, 'user-5', {'age': 20})['reason'] == 'bucketed'
        for label, value in [('string', '20'), ('true', True), ('null', None), ('array', [20]), ('string-array', ['20'])]:
            assert v.case(f'eligibility/no-coercion/{op}/{label}', rule_exp, 'user-5', {'age': value})['reason'] == 'ineligible'
    v.case('eligibility/before-holdout', {**eligible_exp, 'holdout': {'key': 'everyone', 'percent': 100}}, 'user-1', {'region': 'us'})
    # Attribute names with any characters are read as they are.
    odd_names = {'key': 'power_users', 'variants': ['off', 'on'], 'rollout': 100, 'eligibility': {'a.b': {'eq': 1}, 'na"me': {'eq': 2}, '': {'eq': 3}}}
    v.case('eligibility/odd-names/match', odd_names, 'user-6', {'a.b': 1, 'na"me': 2, '': 3})
    v.case('eligibility/odd-names/nested-is-not-dotted', odd_names, 'user-6', {'a': {'b': 1}, 'na"me': 2, '': 3})

    precedence_vectors(v)
    sticky_vectors(v)
    return {'cases': v.cases}


# The checks of §7 in order, each with what makes it decide for a unit: a change to the
# experiment, and the unit, attributes, per-call override or sticky records it needs.
PRECEDENCE_BASE = {'key': 'precedence', 'variants': ['a', 'b', 'c', 'd'], 'rollout': 100}
PRECEDENCE_UNIT = 'user-7'
PRECEDENCE_STEPS: list[tuple[str, str, dict[str, Any]]] = [
    # (name, the reason it gives, what makes it decide)
    ('missing', 'missing_unit', {'unit': ''}),
    ('disabled', 'disabled', {'experiment': {'enabled': False}}),
    ('request-override', 'override', {'override': 'd'}),
    ('override', 'override', {'experiment': {'overrides': {PRECEDENCE_UNIT: 'b', '': 'b'}}}),
    ('ineligible', 'ineligible', {'experiment': {'eligibility': {'plan': {'eq': 'pro'}}}, 'attributes': {'plan': 'free'}}),
    ('holdout', 'holdout', {'experiment': {'holdout': {'key': 'everyone', 'percent': 100}}}),
    ('sticky', 'sticky', {'sticky': 'c'}),
    ('layer', 'layer', {'experiment': {'layer': {'name': 'precedence', 'range': [0, 0.0001]}}}),
    ('traffic', 'traffic', {'experiment': {'traffic': 0}}),
    ('bucketed', 'bucketed', {'experiment': {'rollout': 0.0001}}),
]


def precedence_case(v: Vectors, name: str, steps: list[dict[str, Any]]) -> dict[str, Any]:
    experiment: dict[str, Any] = dict(PRECEDENCE_BASE)
    unit, attributes, override, sticky_variant = PRECEDENCE_UNIT, ABSENT, None, None
    for step in steps:
        experiment.update(step.get('experiment', {}))
        unit = step.get('unit', unit)
        attributes = step.get('attributes', attributes)
        override = step.get('override', override)
        sticky_variant = step.get('sticky', sticky_variant)
    sticky = None
    if sticky_variant is not None:
        key = (ref.prepare_unit(unit) or ('',))[0]
        sticky = [{'unit': key, 'experiment': experiment['key'], 'variant': sticky_variant}]
    return v.case(name, experiment, unit, attributes, override, sticky)


def precedence_vectors(v: Vectors) -> None:
    """For every pair of checks of §7, a unit for which both would decide: the earlier one wins."""
    # Each check decides on its own, and its variant tells the overrides and the sticky record apart.
    alone = {}
    for name, reason, step in PRECEDENCE_STEPS:
        alone[name] = precedence_case(v, f'precedence/alone/{name}', [step])
        assert alone[name]['reason'] == reason, (name, alone[name])
    assert (alone['request-override']['variant'], alone['override']['variant'], alone['sticky']['variant']) == ('d', 'b', 'c')
    assert alone['bucketed']['variant'] == 'a'  # rollout bucket >= 1: control, in the experiment
    for (i, (first, _, first_step)), (j, (second, _, second_step)) in itertools.combinations(enumerate(PRECEDENCE_STEPS), 2):
        out = precedence_case(v, f'precedence/{first}-over-{second}', [second_step, first_step])
        expected = alone[first]
        assert (out['reason'], out['variant']) == (expected['reason'], expected['variant']), (first, second, out)
    # Rollout 0 is the kill switch too, over both kinds of override and a sticky record.
    rollout_0 = {'experiment': {'rollout': 0}}
    for name, _, step in PRECEDENCE_STEPS[2:4] + PRECEDENCE_STEPS[6:7]:
        assert precedence_case(v, f'precedence/rollout-0-over-{name}', [step, rollout_0])['reason'] == 'disabled'
    # A per-call override that names no variant gives control with reason `error`, after the kill
    # switch and before the config's override.
    bad = {'override': 'zzz'}
    assert precedence_case(v, 'precedence/request-override-not-a-variant', [bad])['reason'] == 'error'
    assert precedence_case(v, 'precedence/request-override-not-a-variant-over-override', [PRECEDENCE_STEPS[3][2], bad])['reason'] == 'error'
    assert precedence_case(v, 'precedence/disabled-over-request-override-not-a-variant', [bad, PRECEDENCE_STEPS[1][2]])['reason'] == 'disabled'
    assert precedence_case(v, 'precedence/request-override-to-control', [{'override': 'a'}])['variant'] == 'a'


def sticky_vectors(v: Vectors) -> None:
    """§8: what a sticky store gives and what it records."""
    exp = {'key': 'sticky_demo', 'variants': ['a', 'b', 'c'], 'rollout': 100}
    unit = 'user-3'
    plain = ref.assign(ref.define_experiment(exp), unit)
    other = next(x for x in exp['variants'] if x != plain['variant'])
    record = lambda variant, u=unit, e='sticky_demo': {'unit': u, 'experiment': e, 'variant': variant}
    assert v.case('sticky/no-record-bucketed-is-recorded', exp, unit, sticky=[])['records'] == [record(plain['variant'])]
    assert v.case('sticky/record-kept', exp, unit, sticky=[record(other)])['variant'] == other
    assert v.case('sticky/record-of-control-kept-in-experiment', exp, unit, sticky=[record('a')])['inExperiment'] is True
    v.case('sticky/record-of-another-experiment-ignored', exp, unit, sticky=[record(other, e='other_demo')])
    v.case('sticky/record-of-another-unit-ignored', exp, unit, sticky=[record(other, u='user-4')])
    assert v.case('sticky/record-naming-no-variant-replaced', exp, unit, sticky=[record('gone')])['reason'] == 'bucketed'
    v.case('sticky/kept-over-new-weights', {**exp, 'weights': [0, 0, 1]}, unit, sticky=[record('b')])
    v.case('sticky/traffic-not-recorded', {**exp, 'traffic': 0}, unit, sticky=[])
    v.case('sticky/layer-not-recorded', {**exp, 'layer': {'name': 'sticky', 'range': [0, 0.0001]}}, unit, sticky=[])
    v.case('sticky/rollout-control-recorded', {**exp, 'rollout': 0.0001}, unit, sticky=[])
    v.case('sticky/override-not-recorded', {**exp, 'overrides': {unit: 'c'}}, unit, sticky=[])
    v.case('sticky/request-override-not-recorded', exp, unit, override='b', sticky=[])
    v.case('sticky/disabled-not-recorded', {**exp, 'enabled': False}, unit, sticky=[])
    compound = {'userId': 42, 'tenantId': 'acme'}
    v.case('sticky/compound-unit-by-canonical-key', exp, compound, sticky=[record(other, u='{"tenantId":"acme","userId":"42"}')])
    v.case('sticky/missing-unit-not-recorded', exp, '', sticky=[record(other, u='')])


def hash_vectors() -> list[dict[str, Any]]:
    seeds = [0, 1, 2, 3, 4, 5, 0x9E3779B1, 0xFFFFFFFF]
    out = []
    for i, s in enumerate(hash_inputs()):
        for seed in (seeds if i % 5 == 0 else seeds[i % len(seeds):][:2]):
            out.append({'input': s, 'seed': seed, 'hash': ref.xxh32(ref.utf8(s), seed)})
    return out


def bucket_vectors() -> list[dict[str, Any]]:
    hashes = {0, 1, 4294, 4295, 4296, 8589, 8590, 2**31 - 1, 2**31, 2**32 - 4296, 2**32 - 4295, 2**32 - 1}
    for b in (1, 2, 100, 499_999, 500_000, 999_999):
        first = -(-b * 2**32 // 1_000_000)  # the smallest hash in bucket b
        hashes |= {first - 1, first}
    return [{'hash': h, 'bucket': ref.bucket_of(h)} for h in sorted(hashes)]


def seed_vectors() -> list[dict[str, Any]]:
    salts = ['skill_tree_layout', 'checkout_flow', 'global-2026', 'home', 'q3-cohort', 'sél-🎉', 'a\ud800']
    return [{'salt': s, 'purpose': p, 'seed': ref.seed_for(s, p)} for s in salts for p in ref.PURPOSE]


def percent_vectors() -> list[dict[str, Any]]:
    values = [0, 0.0001, 0.01, 0.1, 1, 10, 12.5, 33.3333, 50, 66.6667, 99.99, 99.9999, 100, 0.0003, 57.0001,
              # Off the grid by at most 10^-6 of a bucket: 1e-10 × 10,000 is exactly the double 1e-6.
              1e-11, 1e-10, 50.00000000001]
    assert 1e-10 * 10000.0 == 1e-6
    return [{'percent': p, 'buckets': ref.percent_to_buckets('percent', p)} for p in values]


def unit_vectors() -> list[dict[str, Any]]:
    units: list[Any] = ['user-42', 'José', '🎉', 'a\ud800', '', None, {}, {'userId': ''},
                        {'tenantId': 'acme', 'userId': '42'}, {'userId': 42, 'tenantId': 'acme'}, {'seat': 1e21},
                        {'seat': -0.0}, {'\uffff': 'x', '😀': 'y'}, {'9': 'b', '10': 'a'}, {'': 'x'},
                        {'na"me': 'line\nbreak\t\\', 'ctl': '\u0001\u001f'}, {'tenantId': 'société', 'userId': 'a\ud800'},
                        ['a'], [], [{'userId': '1'}], {'seat': 640601807090632.25}, {'seat': 640601807090632.75},
                        {'c': '\u0800\ue000\uffff'}]
    out = []
    for unit in units:
        prepared = ref.prepare_unit(unit)
        out.append({'unit': unit, 'key': prepared and prepared[0], 'bytesHex': prepared and prepared[1].hex()})
    return out


def plan_vectors() -> list[dict[str, Any]]:
    configs = [
        {'key': 'skill_tree_layout', 'variants': ['tree', 'list'], 'rollout': 10},
        {'key': 'checkout.v2-new_flow', 'variants': ['a', 'b', 'c'], 'weights': [2, 1, 1]},
        {'key': 'hero_copy', 'variants': ['a', 'b', 'c', 'd']},
        {'key': 'weights_demo', 'variants': ['a', 'b', 'c', 'd'], 'weights': [0.1, 0.2, 0.3, 0.4]},
        {'key': 'weights_demo', 'variants': ['a', 'b', 'c', 'd'], 'weights': [1, 1, 0, 1]},
        {'key': 'weights_demo', 'variants': ['a', 'b'], 'weights': [1999999, 1]},
        {'key': 'weights_demo', 'variants': ['a', 'b', 'c', 'd', 'e', 'f', 'g'], 'weights': [1, 1, 1, 1, 1, 1, 1], 'rollout': 33.3333},
        {'key': 'a', 'variants': ['x', 'y'], 'traffic': 0.0001, 'salt': 's', 'trafficSalt': 't'},
        {'key': '9lives', 'variants': ['x', 'y'], 'layer': {'name': 'home', 'range': [12.5, 37.5]}, 'holdout': {'key': 'h', 'percent': 5}},
        {'key': 'a__b-', 'variants': ['x', 'y']},
        {'key': 'tiny_rollout', 'variants': ['x', 'y'], 'rollout': 1e-11},
        {'key': 'tiny_rollout', 'variants': ['x', 'y'], 'weights': [1, 0], 'rollout': 1e-10},
    ]
    out = []
    for config in configs:
        e = ref.define_experiment(config)
        out.append({
            'experiment': config,
            'rolloutBuckets': e.rollout_threshold, 'trafficBuckets': e.traffic_threshold,
            'treatmentBounds': e.treatment_bounds, 'trafficSeed': e.traffic_seed, 'rolloutSeed': e.rollout_seed,
            'variantSeed': e.variant_seed, 'layerSeed': e.layer_seed, 'holdoutSeed': e.holdout_seed,
            'layerFrom': e.layer_from, 'layerTo': e.layer_to, 'holdoutBuckets': e.holdout_threshold,
            'header': e.header, 'cookie': e.cookie,
        })
    return out


def invalid_config_vectors() -> list[dict[str, Any]]:
    ok = {'key': 'skill_tree_layout', 'variants': ['tree', 'list']}
    configs = [
        ('key-uppercase', {**ok, 'key': 'Skill'}), ('key-empty', {**ok, 'key': ''}), ('key-too-long', {**ok, 'key': 'a' * 65}),
        ('key-leading-dash', {**ok, 'key': '-a'}), ('key-trailing-newline', {**ok, 'key': 'abc\n'}),
        ('variants-one', {**ok, 'variants': ['tree']}), ('variants-empty-name', {**ok, 'variants': ['tree', '']}),
        ('variants-duplicate', {**ok, 'variants': ['tree', 'list', 'tree']}), ('variants-number', {**ok, 'variants': ['tree', 2]}),
        ('weights-length', {**ok, 'weights': [1]}), ('weights-negative', {**ok, 'weights': [1, -5]}),
        ('weights-boolean', {**ok, 'weights': [1, True]}), ('weights-all-zero', {**ok, 'weights': [0, 0]}),
        ('rollout-above-100', {**ok, 'rollout': 100.5}), ('rollout-negative', {**ok, 'rollout': -1}),
        ('rollout-5-decimals', {**ok, 'rollout': 0.00005}), ('rollout-string', {**ok, 'rollout': '10'}),
        ('rollout-without-treatment-weight', {**ok, 'weights': [1, 0], 'rollout': 10}),
        ('traffic-5-decimals', {**ok, 'traffic': 12.34565}), ('salt-empty', {**ok, 'salt': ''}),
        ('traffic-salt-empty', {**ok, 'trafficSalt': ''}), ('enabled-string', {**ok, 'enabled': 'yes'}),
        ('override-unknown-variant', {**ok, 'overrides': {'qa-1': 'grid'}}),
        ('holdout-key', {**ok, 'holdout': {'key': 'Global', 'percent': 10}}),
        ('holdout-percent', {**ok, 'holdout': {'key': 'global', 'percent': 101}}),
        ('layer-name', {**ok, 'layer': {'name': '', 'range': [0, 50]}}),
        ('layer-range-shape', {**ok, 'layer': {'name': 'home', 'range': [0]}}),
        ('layer-range-from', {**ok, 'layer': {'name': 'home', 'range': [-1, 50]}}),
        ('layer-range-to', {**ok, 'layer': {'name': 'home', 'range': [0, 100.00001]}}),
        ('layer-range-empty', {**ok, 'layer': {'name': 'home', 'range': [50, 50]}}),
        ('version-empty', {**ok, 'version': ''}),
        ('eligibility-empty', {**ok, 'eligibility': {}}),
        ('eligibility-unknown-operator', {**ok, 'eligibility': {'region': {'like': 'e%'}}}),
        ('eligibility-all-empty', {**ok, 'eligibility': {'all': []}}),
        ('eligibility-nested-in', {**ok, 'eligibility': {'any': [{'region': {'eq': 'eu'}}, {'region': {'in': [['eu']]}}]}}),
        ('eligibility-combinator-not-alone', {**ok, 'eligibility': {'not': {'region': {'eq': 'eu'}}, 'plan': {'eq': 'pro'}}}),
        ('eligibility-gt-string', {**ok, 'eligibility': {'age': {'gt': '18'}}}),
        ('eligibility-exists-number', {**ok, 'eligibility': {'email': {'exists': 1}}}),
        # null is never "absent" (§0), at any level.
        *[(f'null-{field}', {**ok, field: None}) for field in ref.FIELDS],
        ('null-variant', {**ok, 'variants': ['tree', None]}), ('null-weight', {**ok, 'weights': [1, None]}),
        ('null-override', {**ok, 'overrides': {'qa-1': None}}),
        ('null-holdout-key', {**ok, 'holdout': {'key': None, 'percent': 5}}),
        ('null-holdout-percent', {**ok, 'holdout': {'key': 'global', 'percent': None}}),
        ('null-layer-name', {**ok, 'layer': {'name': None, 'range': [0, 50]}}),
        ('null-layer-range', {**ok, 'layer': {'name': 'home', 'range': None}}),
        ('null-layer-from', {**ok, 'layer': {'name': 'home', 'range': [None, 50]}}),
        ('null-eligibility-condition', {**ok, 'eligibility': {'region': None}}),
        ('null-eligibility-operand', {**ok, 'eligibility': {'region': {'eq': None}}}),
        ('null-eligibility-in-item', {**ok, 'eligibility': {'region': {'in': ['eu', None]}}}),
        ('null-eligibility-not', {**ok, 'eligibility': {'not': None}}),
        ('null-eligibility-all-item', {**ok, 'eligibility': {'all': [None]}}),
        # Objects that must be maps, given as something else.
        ('config-array', [ok]),
        ('overrides-array', {**ok, 'overrides': ['list']}), ('overrides-empty-array', {**ok, 'overrides': []}),
        ('holdout-number', {**ok, 'holdout': 5}), ('holdout-string', {**ok, 'holdout': 'global'}),
        ('holdout-array', {**ok, 'holdout': ['global', 5]}),
        ('layer-string', {**ok, 'layer': 'home'}), ('layer-array', {**ok, 'layer': ['home', [0, 50]]}),
        # Unknown fields, at every level, named by their path.
        ('unknown-field', {**ok, 'rolout': 10}), ('unknown-field-case', {**ok, 'Rollout': 10}),
        ('unknown-field-dotted', {**ok, 'a.b': 1}), ('unknown-field-empty-name', {**ok, '': 1}),
        ('unknown-holdout-field', {**ok, 'holdout': {'key': 'global', 'percent': 5, 'pct': 5}}),
        ('unknown-layer-field', {**ok, 'layer': {'name': 'home', 'range': [0, 50], 'rnage': [0, 50]}}),
        ('unknown-operator-dotted', {**ok, 'eligibility': {'region': {'e.q': 'eu'}}}),
        # Weights whose sum overflows, though each is finite.
        ('weights-sum-overflows', {**ok, 'weights': [1e308, 1e308]}),
        ('weights-treatment-sum-overflows', {**ok, 'variants': ['a', 'b', 'c'], 'weights': [1, 1e308, 1e308]}),
        # Bucket counts decide (§4.2): bounds 10^-11 apart are one bucket, so the slice is empty.
        ('layer-range-empty-in-buckets', {**ok, 'layer': {'name': 'home', 'range': [50, 50.00000000001]}}),
        ('rollout-just-off-grid', {**ok, 'rollout': 1.1e-10}),
        # `in` and `notIn`: non-empty, each item named by its index.
        ('eligibility-in-empty', {**ok, 'eligibility': {'region': {'in': []}}}),
        ('eligibility-not-in-empty', {**ok, 'eligibility': {'region': {'notIn': []}}}),
        ('eligibility-in-object-item', {**ok, 'eligibility': {'region': {'in': ['eu', {}]}}}),
        # Attribute names that are not identifiers are written ["name"] in the path.
        ('eligibility-path-dotted-name', {**ok, 'eligibility': {'a.b': {'in': []}}}),
        ('eligibility-path-quoted-name', {**ok, 'eligibility': {'na"me': {'gt': 'x'}}}),
        ('eligibility-path-empty-name', {**ok, 'eligibility': {'': {'eq': {}}}}),
        ('eligibility-path-dashed-name', {**ok, 'eligibility': {'user-type': {'eq': []}}}),
        ('eligibility-path-digit-first', {**ok, 'eligibility': {'2fa': {'exists': 'yes'}}}),
        ('eligibility-path-identifier', {**ok, 'eligibility': {'$plan_2': {'lt': None}}}),
        ('eligibility-path-nested', {**ok, 'eligibility': {'any': [{'region': {'eq': 'eu'}}, {'a.b': {'in': ['x', ['y']]}}]}}),
    ]
    out = []
    for name, config in configs:
        try:
            ref.define_experiment(config)
        except ref.ConfigError as error:
            out.append({'name': name, 'experiment': config, 'field': error.field})
        else:
            raise AssertionError(f'{name} should be rejected')
    return out


def main() -> None:
    built = build()
    document = {
        'about': 'Test vectors for Bucketry assignment; see docs/spec.md. Generated by spec/generate_vectors.py from spec/reference.py.',
        'format': 1,
        'hashes': hash_vectors(),
        'buckets': bucket_vectors(),
        'seeds': seed_vectors(),
        'percents': percent_vectors(),
        'units': unit_vectors(),
        'plans': plan_vectors(),
        'invalidConfigs': invalid_config_vectors(),
        'cases': built['cases'],
    }
    text = json.dumps(document, ensure_ascii=True, indent=1, allow_nan=False) + '\n'
    OUT.write_text(text, encoding='ascii')
    print(f"wrote {OUT} ({len(document['cases'])} cases, {len(document['hashes'])} hashes, "
          f"{len(document['invalidConfigs'])} invalid configs)")


if __name__ == '__main__':
    main()
