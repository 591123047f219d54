"""Cases for variant values (§5.7): each outcome carries its variant's value, whatever decided it,
and values never move a unit."""

from __future__ import annotations

from reference.values import MAX_VALUES_JSON, js_json
from reference.text import utf16_units

from .case_recorder import CaseRecorder
from .experiments import AB, ABC


def _values_of_json_length(length: int) -> dict:
    """Values for AB whose JSON is `length` UTF-16 code units, every string within §5.6's 1,024."""
    values = {'tree': ['x' * 1000] * 65, 'list': ''}
    values['list'] = 'y' * (length - len(js_json(values)))
    assert len(utf16_units(js_json(values))) == length and len(values['list']) <= 1024
    return values


LAYOUTS = {'tree': {'layout': 'tree', 'columns': 3, 'badges': ['new', 'beta'], 'dense': False, 'note': None},
           'list': {'layout': 'list', 'columns': 1, 'badges': [], 'dense': True, 'note': 'ünïcode ✓'}}


def value_cases(v: CaseRecorder) -> None:
    with_values = {**AB, 'values': LAYOUTS}
    for j in range(12):
        plain = v.case(f'values/none/{j}', AB, f'user-{j}')
        valued = v.case(f'values/layouts/{j}', with_values, f'user-{j}')
        # Values ride along: the same unit gets the same variant and bucket without them.
        assert {k: valued[k] for k in plain} == plain and valued['value'] == LAYOUTS[valued['variant']]
    flag = {'key': 'new_checkout', 'variants': ['off', 'on'], 'rollout': 50, 'values': {'off': False, 'on': True}}
    for j in range(8):
        v.case(f'values/boolean-flag/{j}', flag, f'user-{j}')
    prices = {**ABC, 'values': {'control': 9.99, 'one_page': 0, 'express': -1.5e-7}}
    for j in range(6):
        v.case(f'values/numbers/{j}', prices, f'user-{j}')
    v.case('values/strings', {**AB, 'rollout': 100, 'values': {'tree': 'Skill tree', 'list': ''}}, 'user-1')
    v.case('values/null-and-arrays', {**AB, 'rollout': 100, 'values': {'tree': None, 'list': [[1, 2], {'a': []}]}}, 'user-1')
    # Whatever decides, the value is the variant's: control's when the unit is kept out.
    v.case('values/missing-unit', with_values, '')
    v.case('values/disabled', {**with_values, 'enabled': False}, 'user-1')
    v.case('values/override', {**with_values, 'overrides': {'qa-1': 'list'}}, 'qa-1')
    v.case('values/call-override', with_values, 'qa-2', override='list')
    v.case('values/call-override-unknown', with_values, 'qa-2', override='grid')
    v.case('values/ineligible', {**with_values, 'eligibility': {'plan': {'eq': 'pro'}}}, 'user-1', {'plan': 'free'})
    v.case('values/holdout', {**with_values, 'holdout': {'key': 'everyone', 'percent': 100}}, 'user-1')
    v.case('values/traffic', {**with_values, 'traffic': 0.0001}, 'user-1')
    v.case('values/sticky', with_values, 'user-1', sticky=[{'experiment': 'skill_tree_layout', 'unit': 'user-1', 'variant': 'list'}])
    # §5.6: exactly the limit is accepted (one character more is in invalid_value_configs).
    v.case('values/json-at-limit', {**AB, 'values': _values_of_json_length(MAX_VALUES_JSON)}, 'user-1')
    v.case('values/variant-named-constructor', {'key': 'proto_names', 'variants': ['constructor', '__proto__'], 'rollout': 100,
                                                 'values': {'constructor': 1, '__proto__': 2}}, 'user-1')


def invalid_value_configs(ok: dict) -> list[tuple[str, dict]]:
    """Configurations whose `values` break §5.7 or §5.6; the error names `values` (or the too-long string)."""
    return [
        ('values-array', {**ok, 'values': [1, 2]}),
        ('values-string', {**ok, 'values': 'tree'}),
        ('values-missing-variant', {**ok, 'values': {'tree': 1}}),
        ('values-unknown-variant', {**ok, 'values': {'tree': 1, 'list': 2, 'grid': 3}}),
        ('values-empty', {**ok, 'values': {}}),
        ('values-too-long', {**ok, 'values': {'tree': ['x' * 1000] * 40, 'list': ['y' * 1000] * 40}}),
        ('values-json-one-past-limit', {**ok, 'values': _values_of_json_length(MAX_VALUES_JSON + 1)}),
        ('values-string-too-long', {**ok, 'values': {'tree': 'x' * 1025, 'list': ''}}),
    ]
