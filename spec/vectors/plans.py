"""The `plans` section of vectors.json: experiments and their derived numbers, seeds, header and
cookie (§5)."""

from __future__ import annotations

from typing import Any

import reference as ref


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
