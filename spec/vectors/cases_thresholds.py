"""Cases around the thresholds a bucket is compared with: rollout, traffic and treatment weights
(§4, §5.2), each with units pinned exactly on a bound."""

from __future__ import annotations

from typing import Any

import reference as ref

from .boundaries import BOUNDARY_UNITS, bucket_for, percent
from .case_recorder import CaseRecorder


def rollout_cases(v: CaseRecorder) -> None:
    """Rollout percentages from 0 to 100, and a unit exactly at the threshold."""
    for rollout in (0, 0.01, 0.0001, 99.99, 99.9999, 100):
        for j, unit in enumerate(BOUNDARY_UNITS):
            v.case(f'rollout/{rollout}/{j}', {'key': 'skill_tree_layout', 'variants': ['tree', 'list'], 'rollout': rollout}, unit)
    # Exactly at the threshold: bucket b is control when rollout is b, treatment when b + 0.0001.
    for j, unit in enumerate(BOUNDARY_UNITS[:6]):
        base = {'key': 'search_ranking', 'variants': ['bm25', 'learned']}
        b = bucket_for(ref.define_experiment(base).rollout_seed, unit)
        below = v.case(f'rollout/exact/{j}/at-bucket', {**base, 'rollout': percent(b)}, unit)
        above = v.case(f'rollout/exact/{j}/one-above', {**base, 'rollout': percent(b + 1)}, unit)
        assert below['variant'] == 'bm25' and above['variant'] == 'learned' and below['bucket'] == b


def traffic_cases(v: CaseRecorder) -> None:
    """Traffic percentages, a unit exactly at the threshold, and a shared traffic salt."""
    for traffic in (0, 0.01, 25, 50, 99.99, 100):
        for j, unit in enumerate(BOUNDARY_UNITS[:6]):
            v.case(f'traffic/{traffic}/{j}', {'key': 'onboarding_tour', 'variants': ['off', 'on'], 'traffic': traffic, 'rollout': 50}, unit)
    for j, unit in enumerate(BOUNDARY_UNITS[:5]):
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


def weight_cases(v: CaseRecorder) -> None:
    """Treatment weights: defaults, zeros, fractions, rounding, and bounds pinned exactly on a unit."""
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
