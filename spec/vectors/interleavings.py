"""The `interleavings` section of vectors.json (§13): team-draft and balanced merges, with the
rankings overlapping, unequal or empty, units kept out, and requests that must be refused."""

from __future__ import annotations

import random
from typing import Any

import reference as ref

ORDER = {'key': 'skill_order', 'variants': ['ranker_a', 'interleaved'], 'rollout': 100}


def _entry(name: str, experiment: dict[str, Any], unit: Any, request: Any, attributes: Any = None) -> dict[str, Any]:
    entry: dict[str, Any] = {'name': name, 'experiment': experiment, 'unit': unit, 'request': request}
    if attributes is not None:
        entry['attributes'] = attributes
    try:
        entry['expected'] = ref.interleave(ref.define_experiment(experiment), unit, request, attributes)
    except ref.ConfigError as error:
        entry['expected'] = {'error': error.field}
    return entry


def interleaving_vectors() -> list[dict[str, Any]]:
    rng = random.Random(13)
    pool = [f's{i}' for i in range(40)]
    entries = []
    for method in ('team-draft', 'balanced'):
        for j in range(24):
            a = rng.sample(pool, rng.randint(1, 20))
            b = rng.sample(pool, rng.randint(1, 20))
            request = {'query': f'q{j % 5}', 'a': a, 'b': b, 'length': rng.randint(1, 25), 'method': method}
            entries.append(_entry(f'{method}/random/{j}', ORDER, f'user-{j}', request))
        same = {'query': 'home', 'a': ['s1', 's2', 's3', 's4'], 'b': ['s1', 's2', 's3', 's4'], 'length': 4, 'method': method}
        entries.append(_entry(f'{method}/identical-rankings', ORDER, 'user-1', same))
        disjoint = {'query': 'home', 'a': ['a1', 'a2', 'a3'], 'b': ['b1', 'b2', 'b3'], 'length': 6, 'method': method}
        for j in range(6):
            entries.append(_entry(f'{method}/disjoint/{j}', ORDER, f'user-{j}', disjoint))
        entries.append(_entry(f'{method}/a-shorter', ORDER, 'user-2', {'query': 'home', 'a': ['s1'], 'b': ['s2', 's3', 's4', 's5'], 'length': 4, 'method': method}))
        entries.append(_entry(f'{method}/b-empty', ORDER, 'user-3', {'query': 'home', 'a': ['s1', 's2'], 'b': [], 'length': 3, 'method': method}))
        entries.append(_entry(f'{method}/both-empty', ORDER, 'user-3', {'query': 'home', 'a': [], 'b': [], 'length': 3, 'method': method}))
    # The query and the unit both change the draw; non-ASCII and compound units hash as their keys.
    base = {'a': ['s1', 's2', 's3', 's4', 's5', 's6'], 'b': ['s6', 's5', 's4', 's3', 's2', 's1'], 'length': 6}
    for query in ('', 'search:rust', 'ünïcode ✓', 'a\ud800'):
        entries.append(_entry(f'query/{query!r}', ORDER, 'user-7', {**base, 'query': query}))
    entries.append(_entry('unit/compound', ORDER, {'userId': 42, 'tenantId': 'acme'}, {**base, 'query': 'home'}))
    entries.append(_entry('unit/non-ascii', ORDER, '用户-42', {**base, 'query': 'home'}))
    # More than 32 ties: the coin flips come from a second hash (seed + 1).
    long_a = [f'x{i}' for i in range(80)]
    long_b = [f'y{i}' for i in range(80)]
    entries.append(_entry('team-draft/over-32-ties', ORDER, 'user-1', {'query': 'home', 'a': long_a, 'b': long_b, 'length': 160}))
    # Units the experiment keeps out see ranking A alone, uncredited.
    entries.append(_entry('kept-out/kill-switch', {**ORDER, 'rollout': 0}, 'user-1', {**base, 'query': 'home'}))
    entries.append(_entry('kept-out/control', {**ORDER, 'rollout': 50}, 'user-3', {**base, 'query': 'home'}))
    entries.append(_entry('kept-out/missing-unit', ORDER, '', {**base, 'query': 'home', 'length': 2}))
    entries.append(_entry('kept-out/ineligible', {**ORDER, 'eligibility': {'plan': {'eq': 'pro'}}}, 'user-1', {**base, 'query': 'home'}, {'plan': 'free'}))
    entries.append(_entry('override/interleaved', {**ORDER, 'rollout': 0.0001, 'overrides': {'qa-1': 'interleaved'}}, 'qa-1', {**base, 'query': 'home'}))
    # Requests that must be refused, each naming its field.
    for name, bad in (
        ('query-number', {**base, 'query': 7}), ('a-not-array', {**base, 'query': 'q', 'a': 's1'}),
        ('a-number-id', {**base, 'query': 'q', 'a': ['s1', 2]}), ('b-empty-id', {**base, 'query': 'q', 'b': ['s1', '']}),
        ('a-duplicate', {**base, 'query': 'q', 'a': ['s1', 's2', 's1']}), ('length-zero', {**base, 'query': 'q', 'length': 0}),
        ('length-fraction', {**base, 'query': 'q', 'length': 2.5}), ('length-too-long', {**base, 'query': 'q', 'length': 10001}),
        ('method-unknown', {**base, 'query': 'q', 'method': 'probabilistic'}),
        # A request that is not a map (§3.1) is refused as a whole.
        ('request-null', None), ('request-array', [{**base, 'query': 'q'}]), ('request-string', 'home'),
    ):
        entries.append(_entry(f'invalid/{name}', ORDER, 'user-1', bad))
    return entries
