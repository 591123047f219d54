"""Cases for layers and holdouts (§5.1, §7 steps 5 and 7)."""

from __future__ import annotations

import reference as ref

from .boundaries import BOUNDARY_UNITS, bucket_for, percent
from .case_recorder import CaseRecorder


def layer_cases(v: CaseRecorder) -> None:
    """Layers: two halves of one layer, a one-bucket slice, and slice ends exactly on a unit."""
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
    for j, unit in enumerate(BOUNDARY_UNITS[:5]):
        base = {'key': 'home_search', 'variants': ['old', 'new'], 'rollout': 100}
        l = bucket_for(ref.define_experiment({**base, 'layer': {'name': 'search', 'range': [0, 100]}}).layer_seed, unit)
        assert 0 < l < 999_999
        cfg = lambda lo, hi: {**base, 'layer': {'name': 'search', 'range': [percent(lo), percent(hi)]}}
        assert v.case(f'layer/exact/{j}/from-equals-bucket', cfg(l, 1_000_000), unit)['reason'] == 'bucketed'
        assert v.case(f'layer/exact/{j}/from-above-bucket', cfg(l + 1, 1_000_000), unit)['reason'] == 'layer'
        assert v.case(f'layer/exact/{j}/to-equals-bucket', cfg(0, l), unit)['reason'] == 'layer'
        assert v.case(f'layer/exact/{j}/to-above-bucket', cfg(0, l + 1), unit)['reason'] == 'bucketed'
    v.case('layer/with-traffic', {'key': 'home_banner', 'variants': ['a', 'b'], 'traffic': 50, 'layer': {'name': 'home', 'range': [0, 70]}}, 'shopper-3')


def holdout_cases(v: CaseRecorder) -> None:
    """Holdouts: one group shared by experiments, 0 and 100 percent, and a unit exactly at the threshold."""
    for j in range(12):
        unit = f'account-{j}'
        a = v.case(f'holdout/10/{j}/first', {'key': 'pricing_page', 'variants': ['a', 'b'], 'holdout': {'key': 'global-2026', 'percent': 10}}, unit)
        b = v.case(f'holdout/10/{j}/second', {'key': 'signup_copy', 'variants': ['a', 'b', 'c'], 'holdout': {'key': 'global-2026', 'percent': 10}}, unit)
        assert (a['reason'] == 'holdout') == (b['reason'] == 'holdout')  # one holdout group for both
    for pct in (0, 0.0001, 100):
        for j in range(3):
            v.case(f'holdout/{pct}/{j}', {'key': 'pricing_page', 'variants': ['a', 'b'], 'holdout': {'key': 'global-2026', 'percent': pct}}, f'account-{j}')
    for j, unit in enumerate(BOUNDARY_UNITS[:4]):
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
