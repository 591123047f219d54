"""Cases for what an experiment's configuration forces or reshuffles: overrides (§7 step 3), the
kill switch (§7 step 2) and salts (§4.3)."""

from __future__ import annotations

from .case_recorder import CaseRecorder
from .experiments import AB


def override_cases(v: CaseRecorder) -> None:
    """Config overrides, matched by the canonical unit key."""
    overridden = {**AB, 'overrides': {'qa-1': 'list', 'qa-2': 'tree', '{"tenantId":"acme","userId":"42"}': 'list', '{"10":"a","9":"b"}': 'list'}}
    v.case('override/to-treatment', overridden, 'qa-1')
    v.case('override/to-control', overridden, 'qa-2')
    v.case('override/not-listed', overridden, 'qa-3')
    v.case('override/compound', overridden, {'userId': '42', 'tenantId': 'acme'})
    v.case('override/compound-number', overridden, {'userId': 42, 'tenantId': 'acme'})
    v.case('override/compound-integer-like-names', overridden, {'9': 'b', '10': 'a'})
    v.case('override/compound-no-match', overridden, {'userId': '43', 'tenantId': 'acme'})
    v.case('override/string-that-spells-a-compound-key', overridden, '{"tenantId":"acme","userId":"42"}')
    v.case('override/unicode-key', {**AB, 'overrides': {'用户-42': 'list', 'a\ud800': 'list'}}, '用户-42')
    v.case('override/lone-surrogate-key', {**AB, 'overrides': {'用户-42': 'list', 'a\ud800': 'list'}}, 'a\ud800')
    v.case('override/lone-surrogate-is-not-fffd', {**AB, 'overrides': {'a\ud800': 'list'}}, 'a\ufffd')


def disabled_cases(v: CaseRecorder) -> None:
    """The kill switch: enabled false, rollout 0 (in buckets), and what it comes before."""
    for j in range(4):
        v.case(f'disabled/enabled-false/{j}', {**AB, 'enabled': False}, f'user-{j}')
        v.case(f'disabled/rollout-0/{j}', {**AB, 'rollout': 0}, f'user-{j}')
    v.case('disabled/treatment-weights-zero', {'key': 'skill_tree_layout', 'variants': ['tree', 'list'], 'weights': [1, 0]}, 'user-1')
    # "Live" compares bucket counts (§5.2): a rollout that rounds to 0 buckets is the kill switch.
    for label, rollout in (('1e-11', 1e-11), ('1e-10', 1e-10)):
        tiny = {'key': 'skill_tree_layout', 'variants': ['tree', 'list'], 'rollout': rollout}
        assert v.case(f'disabled/rollout-{label}-is-0-buckets', tiny, 'user-1')['reason'] == 'disabled'
        assert v.case(f'disabled/rollout-{label}-without-treatment-weight', {**tiny, 'weights': [1, 0]}, 'user-1')['reason'] == 'disabled'
    v.case('disabled/before-holdout', {**AB, 'enabled': False, 'holdout': {'key': 'everyone', 'percent': 100}}, 'user-1')
    v.case('disabled/before-eligibility', {**AB, 'rollout': 0, 'eligibility': {'plan': {'eq': 'pro'}}}, 'user-1', {'plan': 'free'})


def salt_cases(v: CaseRecorder) -> None:
    """Salts: the key by default, an explicit one, a changed one, a non-ASCII one."""
    for j in range(5):
        unit = f'user-{j}'
        v.case(f'salt/default-is-key/{j}', {'key': 'skill_tree_layout', 'variants': ['tree', 'list', 'grid']}, unit)
        v.case(f'salt/explicit-key-as-salt/{j}', {'key': 'skill_tree_layout_v2', 'salt': 'skill_tree_layout', 'variants': ['tree', 'list', 'grid']}, unit)
        v.case(f'salt/reshuffled/{j}', {'key': 'skill_tree_layout', 'salt': 'skill_tree_layout#2', 'variants': ['tree', 'list', 'grid']}, unit)
        v.case(f'salt/unicode/{j}', {'key': 'skill_tree_layout', 'salt': 'sél-🎉', 'variants': ['tree', 'list', 'grid']}, unit)
