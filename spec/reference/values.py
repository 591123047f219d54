"""§5.7 Variant values: JSON data carried with each variant, returned with the assignment, and
never part of bucketing."""

from __future__ import annotations

from typing import Any

from .config_error import ConfigError
from .json_values import is_number
from .number_text import js_number_text
from .text import js_json_string, utf16_units

MAX_VALUES_JSON = 65_536  # UTF-16 code units of `values` as JSON (§5.6)
RULE = 'must give each variant one value and name only variants, in at most 65536 characters of JSON'


def js_json(value: Any) -> str:
    """`value` as ECMAScript's JSON.stringify writes it, without whitespace."""
    if value is None:
        return 'null'
    if isinstance(value, bool):
        return 'true' if value else 'false'
    if is_number(value):
        return js_number_text(value)
    if isinstance(value, str):
        return js_json_string(value)
    if isinstance(value, list):
        return '[' + ','.join(js_json(item) for item in value) + ']'
    return '{' + ','.join(js_json_string(name) + ':' + js_json(item) for name, item in value.items()) + '}'


def check_values(values: Any, variants: list[str]) -> dict[str, Any]:
    """The experiment's values by variant (§5.7); null is refused like any other non-map."""
    if not isinstance(values, dict):
        raise ConfigError('values', values, 'must be an object with a value per variant')
    # The first variant without a value, else the first name that is no variant, else too long.
    odd = next((v for v in variants if v not in values), None)
    if odd is None:
        odd = next((name for name in values if name not in variants), None)
    if odd is None and len(utf16_units(js_json(values))) > MAX_VALUES_JSON:
        odd = ''
    if odd is not None:
        raise ConfigError('values', values, RULE)
    return dict(values)
