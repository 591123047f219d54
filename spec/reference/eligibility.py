"""§6 Eligibility rules in their JSON form, checked and compiled into a test of the attributes."""

from __future__ import annotations

import math
from typing import Any

from .config_error import ConfigError, field_path
from .json_values import is_number
from .text import normalize


def _is_rule_value(value: Any) -> bool:
    return isinstance(value, (str, bool)) or (is_number(value) and math.isfinite(value))


def _same(a: Any, b: Any) -> bool:
    """Strict equality of JSON values: same kind and same value; arrays and objects equal nothing."""
    if isinstance(a, bool) or isinstance(b, bool):
        return isinstance(a, bool) and isinstance(b, bool) and a == b
    if isinstance(a, str) and isinstance(b, str):
        return normalize(a) == normalize(b)
    if is_number(a) and is_number(b):
        return float(a) == float(b)
    return False


def _any_item(value: Any, test) -> bool:
    """An array attribute matches when one of its items does; an item that is itself an array or
    an object matches nothing (_same), and so does an object attribute."""
    return any(test(item) for item in value) if isinstance(value, list) else test(value)


def _compile_condition(name: str, condition: Any, path: str):
    if not isinstance(condition, dict) or not condition:
        raise ConfigError(path, condition, 'must be an object with at least one operator')
    tests = []
    for op, operand in condition.items():
        at = field_path(path, op)
        if op in ('in', 'notIn'):
            if not isinstance(operand, list) or not operand:
                raise ConfigError(at, operand, 'must be a non-empty array of strings, numbers or booleans')
            for i, item in enumerate(operand):
                if not _is_rule_value(item):
                    raise ConfigError(f'{at}[{i}]', item, 'must be a string, number or boolean')
            options = list(operand)
            member = lambda attrs, name=name, options=options: _any_item(
                attrs.get(name), lambda item: any(_same(item, o) for o in options))
            tests.append(member if op == 'in' else (lambda attrs, member=member: not member(attrs)))
        elif op in ('eq', 'ne'):
            if not _is_rule_value(operand):
                raise ConfigError(at, operand, 'must be a string, number or boolean')
            equal = lambda attrs, name=name, operand=operand: _any_item(attrs.get(name), lambda item: _same(item, operand))
            tests.append(equal if op == 'eq' else (lambda attrs, equal=equal: not equal(attrs)))
        elif op in ('gt', 'gte', 'lt', 'lte'):
            if not is_number(operand) or not math.isfinite(operand):
                raise ConfigError(at, operand, 'must be a finite number')
            compare = {
                'gt': lambda v, o=float(operand): v > o,
                'gte': lambda v, o=float(operand): v >= o,
                'lt': lambda v, o=float(operand): v < o,
                'lte': lambda v, o=float(operand): v <= o,
            }[op]
            tests.append(lambda attrs, name=name, compare=compare: is_number(attrs.get(name)) and compare(float(attrs.get(name))))
        elif op == 'exists':
            if not isinstance(operand, bool):
                raise ConfigError(at, operand, 'must be true or false')
            tests.append(lambda attrs, name=name, operand=operand: (attrs.get(name) is not None) == operand)
        else:
            raise ConfigError(at, operand, 'is not an operator')
    return lambda attrs: all(test(attrs) for test in tests)


def compile_rule(rule: Any, path: str = 'eligibility'):
    if not isinstance(rule, dict) or not rule:
        raise ConfigError(path, rule, 'must be a non-empty object')
    for combinator in ('all', 'any', 'not'):
        if combinator not in rule:
            continue
        if len(rule) != 1:
            raise ConfigError(path, rule, f'must hold "{combinator}" alone')
        operand = rule[combinator]
        if combinator == 'not':
            inner = compile_rule(operand, f'{path}.not')
            return lambda attrs: not inner(attrs)
        if not isinstance(operand, list) or not operand:
            raise ConfigError(f'{path}.{combinator}', operand, 'must be a non-empty array of rules')
        tests = [compile_rule(item, f'{path}.{combinator}[{i}]') for i, item in enumerate(operand)]
        if combinator == 'all':
            return lambda attrs: all(t(attrs) for t in tests)
        return lambda attrs: any(t(attrs) for t in tests)
    conditions = [_compile_condition(name, condition, field_path(path, name)) for name, condition in rule.items()]
    return lambda attrs: all(c(attrs) for c in conditions)
