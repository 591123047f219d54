"""Cases by kind of unit (§3): plain string ids, non-ASCII ids, compound units, missing units."""

from __future__ import annotations

import itertools
import json
import random

import reference as ref

from .case_recorder import CaseRecorder
from .experiments import AB, AB_HALF, ABC, ABCD
from .samples import ASCII_EMAILS, NON_ASCII, NUMERIC_STRINGS, uuid_like


def string_id_cases(v: CaseRecorder) -> None:
    """Plain string ids: sequential, UUID-like, e-mail addresses, numeric strings, every stripe length."""
    rng = random.Random(20261121)
    for i in range(40):
        v.case(f'ascii/sequential/user-{i}', AB if i < 20 else AB_HALF, f'user-{i}')
    for i in range(20):
        v.case(f'ascii/uuid/{i}', ABC, uuid_like(rng))
    for i, email in enumerate(ASCII_EMAILS):
        v.case(f'ascii/email/{i}', ABCD, email)
    for s in NUMERIC_STRINGS:
        v.case(f'ascii/numeric-string/{s}', AB_HALF, s)
    for length in (15, 16, 17, 31, 32, 33, 64):
        v.case(f'ascii/length-{length}', ABCD, ('0123456789abcdef' * 5)[:length])


def non_ascii_cases(v: CaseRecorder) -> None:
    """Non-ASCII ids, lone surrogates included (§2)."""
    for name, s in NON_ASCII:
        v.case(f'unicode/{name}', AB_HALF, s)
        v.case(f'unicode/{name}/abcd', ABCD, s)
    # A lone surrogate hashes exactly like U+FFFD in its place (same buckets), though its key differs.
    lone = v.case('unicode/lone-equivalence/a\\ud800b', ABC, 'a\ud800b')
    fffd = v.case('unicode/lone-equivalence/a\\ufffdb', ABC, 'a\ufffdb')
    assert (lone['variant'], lone['bucket']) == (fffd['variant'], fffd['bucket'])


def compound_cases(v: CaseRecorder) -> None:
    """Compound units (§3.2, §3.3): field order, numbers as text, UTF-16 name order, escapes."""
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


def missing_unit_cases(v: CaseRecorder) -> None:
    """Missing units (§3.1), and that they come before the overrides and the kill switch."""
    missing = [
        ('empty-string', ''), ('null', None), ('empty-object', {}), ('empty-field', {'userId': ''}),
        ('boolean-field', {'userId': True}), ('null-field', {'userId': None}),
        ('nested-field', {'userId': {'id': '1'}}), ('one-empty-of-two', {'tenantId': 'acme', 'userId': ''}),
        ('array-field', {'userId': ['1']}),
        # An array is no map (§3.1), whatever it holds.
        ('array', ['a']), ('array-of-two', ['tenant', 'user']), ('empty-array', []), ('array-of-map', [{'userId': '1'}]),
    ]
    for label, unit in missing:
        outcome = v.case(f'missing/{label}', ABC, unit)
        assert outcome['reason'] == 'missing_unit'
    v.case('missing/before-override', {**AB, 'overrides': {'': 'list'}}, '')
    v.case('missing/before-disabled', {**AB, 'enabled': False}, None)
