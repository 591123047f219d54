"""Cases for the precedence of §7: for every pair of checks, a unit for which both decide."""

from __future__ import annotations

import itertools
from typing import Any

import reference as ref

from .case_recorder import ABSENT, CaseRecorder


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


def precedence_case(v: CaseRecorder, name: str, steps: list[dict[str, Any]]) -> dict[str, Any]:
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


def precedence_cases(v: CaseRecorder) -> None:
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
