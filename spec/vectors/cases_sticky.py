"""Cases for the sticky store (§8)."""

from __future__ import annotations

import reference as ref

from .case_recorder import CaseRecorder


def sticky_cases(v: CaseRecorder) -> None:
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
