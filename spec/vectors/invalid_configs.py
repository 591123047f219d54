"""The `invalidConfigs` section of vectors.json: configurations that must be rejected, each
breaking one rule, and the field the error names (§5.1, §6)."""

from __future__ import annotations

from typing import Any

import reference as ref

from .cases_values import invalid_value_configs


def _wrapped(levels: int, wrap) -> dict[str, Any]:
    """`{'region': {'eq': 'eu'}}` inside `levels` wrappings (§5.6: each `not` is one level, each `all` two)."""
    rule: dict[str, Any] = {'region': {'eq': 'eu'}}
    for _ in range(levels):
        rule = wrap(rule)
    return rule


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
        *invalid_value_configs(ok),
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
        # The limits of §5.6. (The 100,000 values are left out: such a vector would triple the file.)
        ('limit-nesting-61-nots', {**ok, 'eligibility': _wrapped(61, lambda rule: {'not': rule})}),
        ('limit-nesting-31-alls', {**ok, 'eligibility': _wrapped(31, lambda rule: {'all': [rule]})}),
        ('limit-string-1025', {**ok, 'salt': 's' * 1025}),
        ('limit-string-1025-utf16', {**ok, 'salt': '\U0001F600' * 512 + 's'}),
        ('limit-string-1025-variant', {**ok, 'variants': ['tree', 'l' * 1025]}),
        ('limit-key-1025', {**ok, 'overrides': {'u' * 1025: 'list'}}),
        ('limit-variants-1001', {**ok, 'variants': [f'v{i}' for i in range(1001)]}),
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
