"""Cases at the limits of §5.6: the largest configurations that are still accepted."""

from __future__ import annotations

from .case_recorder import CaseRecorder


def limit_cases(v: CaseRecorder) -> None:
    """60 nots around a condition (its `eq` value at level 64), 30 levels of `all`, 1,000 variants,
    and strings of 1,024 UTF-16 code units (512 surrogate pairs)."""
    rule: dict = {'region': {'eq': 'eu'}}
    for _ in range(60):
        rule = {'not': rule}
    nots = {'key': 'deep_rule', 'variants': ['off', 'on'], 'rollout': 100, 'eligibility': rule}
    v.case('limits/nesting-60-nots/eu', nots, 'user-1', {'region': 'eu'})
    v.case('limits/nesting-60-nots/us', nots, 'user-1', {'region': 'us'})
    rule = {'region': {'eq': 'eu'}}
    for _ in range(30):
        rule = {'all': [rule]}
    v.case('limits/nesting-30-alls', {**nots, 'eligibility': rule}, 'user-1', {'region': 'eu'})
    many = {'key': 'many_variants', 'variants': [f'v{i}' for i in range(1000)]}
    for unit in ('user-1', 'user-2', 'user-3'):
        v.case(f'limits/variants-1000/{unit}', many, unit)
    wide = '\U0001F600' * 512
    v.case('limits/string-1024-utf16', {'key': 'wide_salt', 'variants': ['a', 'b'], 'salt': wide, 'version': wide}, 'user-1')
