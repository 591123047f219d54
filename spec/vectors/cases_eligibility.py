"""Cases for JSON eligibility rules (§6)."""

from __future__ import annotations

from .case_recorder import ABSENT, CaseRecorder


def eligibility_cases(v: CaseRecorder) -> None:
    """Eligibility rules: membership, comparisons, types, objects and arrays, odd attribute names."""
    rule = {'all': [{'region': {'in': ['eu', 'uk']}}, {'not': {'tenantId': {'in': ['internal']}}}]}
    eligible_exp = {'key': 'eu_checkout', 'variants': ['old', 'new'], 'eligibility': rule}
    attribute_sets = [
        ('eu', {'region': 'eu', 'tenantId': 'acme'}), ('uk', {'region': 'uk'}), ('us', {'region': 'us'}),
        ('internal', {'region': 'eu', 'tenantId': 'internal'}), ('none', ABSENT), ('null', None), ('empty', {}),
        ('region-array', {'region': ['us', 'eu']}), ('region-null', {'region': None}),
        # Objects, and arrays inside arrays, equal no rule value (§6).
        ('region-object', {'region': {'eu': True}}), ('region-nested-array', {'region': [['eu']]}),
        ('region-array-with-object', {'region': [{'region': 'eu'}, 'uk']}),
    ]
    for label, attributes in attribute_sets:
        v.case(f'eligibility/region/{label}', eligible_exp, 'user-1', attributes)
    numeric = {'key': 'power_users', 'variants': ['off', 'on'], 'rollout': 100, 'eligibility': {'sessions': {'gte': 10, 'lt': 100}, 'beta': {'ne': False}}}
    for label, attributes in [('9', {'sessions': 9}), ('10', {'sessions': 10}), ('99.5', {'sessions': 99.5}), ('100', {'sessions': 100}),
                              ('string-10', {'sessions': '10'}), ('beta-false', {'sessions': 50, 'beta': False}), ('beta-0', {'sessions': 50, 'beta': 0})]:
        v.case(f'eligibility/numeric/{label}', numeric, 'user-2', attributes)
    types = {'key': 'power_users', 'variants': ['off', 'on'], 'rollout': 100, 'eligibility': {'any': [{'tier': {'eq': 1}}, {'flag': {'eq': True}}, {'email': {'exists': True}}]}}
    for label, attributes in [('tier-1', {'tier': 1}), ('tier-1.0', {'tier': 1.0}), ('tier-string', {'tier': '1'}), ('tier-true', {'tier': True}),
                              ('flag-true', {'flag': True}), ('flag-1', {'flag': 1}), ('email-null', {'email': None}), ('email-empty', {'email': ''}),
                              ('nothing', {})]:
        v.case(f'eligibility/types/{label}', types, 'user-3', attributes)
    not_in = {'key': 'power_users', 'variants': ['off', 'on'], 'rollout': 100, 'eligibility': {'roles': {'notIn': ['staff', 'bot']}}}
    for label, attributes in [('missing', {}), ('customer', {'roles': ['customer']}), ('staff', {'roles': ['customer', 'staff']}), ('empty-array', {'roles': []}),
                              ('null-attributes', None), ('object', {'roles': {'staff': True}}), ('nested-array', {'roles': [['staff']]})]:
        v.case(f'eligibility/not-in/{label}', not_in, 'user-4', attributes)
    # Objects: `ne` holds (not `eq`), `exists` holds (present, not null), a comparison does not.
    for label, condition, holds in [('eq', {'eq': 'x'}, False), ('ne', {'ne': 'x'}, True), ('exists', {'exists': True}, True), ('gte', {'gte': 0}, False)]:
        out = v.case(f'eligibility/object-value/{label}', {**not_in, 'eligibility': {'profile': condition}}, 'user-4', {'profile': {'x': 1}})
        assert (out['reason'] == 'bucketed') == holds
    # Comparisons take numbers only: no value is coerced, though each of these would pass as a number.
    comparisons = {'gt': -1, 'gte': 0, 'lt': 21, 'lte': 20}
    for op, operand in comparisons.items():
        rule_exp = {**not_in, 'eligibility': {'age': {op: operand}}}
        assert v.case(f'eligibility/no-coercion/{op}/number', rule_exp, 'user-5', {'age': 20})['reason'] == 'bucketed'
        for label, value in [('string', '20'), ('true', True), ('null', None), ('array', [20]), ('string-array', ['20'])]:
            assert v.case(f'eligibility/no-coercion/{op}/{label}', rule_exp, 'user-5', {'age': value})['reason'] == 'ineligible'
    v.case('eligibility/before-holdout', {**eligible_exp, 'holdout': {'key': 'everyone', 'percent': 100}}, 'user-1', {'region': 'us'})
    # Attribute names with any characters are read as they are.
    odd_names = {'key': 'power_users', 'variants': ['off', 'on'], 'rollout': 100, 'eligibility': {'a.b': {'eq': 1}, 'na"me': {'eq': 2}, '': {'eq': 3}}}
    v.case('eligibility/odd-names/match', odd_names, 'user-6', {'a.b': 1, 'na"me': 2, '': 3})
    v.case('eligibility/odd-names/nested-is-not-dotted', odd_names, 'user-6', {'a': {'b': 1}, 'na"me': 2, '': 3})
