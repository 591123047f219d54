"""§3 Units: a unit's canonical key (§3.3) and the bytes that are hashed (§3.2)."""

from __future__ import annotations

import math
from typing import Any

from .json_values import is_number
from .number_text import js_number_text
from .text import js_json_string, normalize, utf8, utf16_order


def prepare_unit(unit: Any) -> tuple[str, bytes] | None:
    """(canonical key, bytes to hash) of a unit, or None when the unit is missing (§3.1)."""
    if isinstance(unit, str):
        return (normalize(unit), utf8(unit)) if unit else None
    # A map is a JSON object (a dict); an array (a list) is no map, so it is a missing unit.
    if not isinstance(unit, dict) or not unit:
        return None
    fields: list[tuple[str, str]] = []
    for name, value in unit.items():
        if isinstance(value, str):
            text = value
        elif is_number(value) and math.isfinite(value):
            text = js_number_text(value)
        else:
            return None
        if not text:
            return None
        fields.append((name, text))
    fields.sort(key=lambda field: utf16_order(field[0]))
    encoded = bytearray(b'\xff')
    for name, text in fields:
        encoded += utf8(name) + b'\xfe' + utf8(text) + b'\xff'
    key = '{' + ','.join(js_json_string(name) + ':' + js_json_string(text) for name, text in fields) + '}'
    return normalize(key), bytes(encoded)
